// Temporal keeps every payload in the workflow history and refuses one over 2 MB (and a history
// over 50 MB). A ClaimCheckCodec in the client's and the worker's data converter swaps each big
// payload for a small reference to a blob and swaps it back on the way out, so prompts and
// results of any reasonable size (10 MB) never touch those limits.
import type { Payload, PayloadCodec } from '@temporalio/common';
import { checkBlobKey, type BlobStore } from './blob-store.js';

export const CLAIM_CHECK_ENCODING = 'binary/baton-claim-check';
/**
 * Payloads above this many bytes go to the blob store. Sized by the worst run docs/script-language.md#limits allows:
 * 1000 agents with 100 KB prompts would put 100 MB into a 50 MB history if prompts stayed
 * inline; at 16 KiB the inline part of such a history stays under 20 MB, and a workflow task
 * carrying many agent results at once stays far under the 2 MB payload limit.
 */
export const DEFAULT_CLAIM_CHECK_THRESHOLD = 16 * 1024;

/** The reference payload's data. */
interface ClaimCheck {
  key: string;
  size: number;
  /** The original payload's metadata (its encoding above all), base64 per entry. */
  metadata: Record<string, string>;
}

export interface ClaimCheckOptions {
  thresholdBytes?: number;
}

export class ClaimCheckCodec implements PayloadCodec {
  private readonly threshold: number;

  constructor(
    private readonly store: BlobStore,
    options: ClaimCheckOptions = {},
  ) {
    this.threshold = options.thresholdBytes ?? DEFAULT_CLAIM_CHECK_THRESHOLD;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => this.encodeOne(p)));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((p) => this.decodeOne(p)));
  }

  private async encodeOne(payload: Payload): Promise<Payload> {
    const data = payload.data ?? new Uint8Array();
    if (sizeOf(payload) <= this.threshold) return payload;
    const key = await this.store.put(data);
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(payload.metadata ?? {})) metadata[name] = Buffer.from(value).toString('base64');
    const check: ClaimCheck = { key, size: data.byteLength, metadata };
    return {
      metadata: { encoding: new TextEncoder().encode(CLAIM_CHECK_ENCODING) },
      data: new TextEncoder().encode(JSON.stringify(check)),
    };
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    const encoding = payload.metadata?.encoding;
    if (!encoding || new TextDecoder().decode(encoding) !== CLAIM_CHECK_ENCODING) return payload;
    const check = JSON.parse(new TextDecoder().decode(payload.data ?? new Uint8Array())) as ClaimCheck;
    const data = await this.store.get(checkBlobKey(check.key));
    const metadata: Record<string, Uint8Array> = {};
    for (const [name, value] of Object.entries(check.metadata)) metadata[name] = Buffer.from(value, 'base64');
    return { metadata, data };
  }
}

function sizeOf(payload: Payload): number {
  let size = payload.data?.byteLength ?? 0;
  for (const [name, value] of Object.entries(payload.metadata ?? {})) size += name.length + value.byteLength;
  return size;
}
