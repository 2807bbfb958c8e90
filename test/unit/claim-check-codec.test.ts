// The claim-check codec with the payload converter Temporal uses: what would be written to
// the history, and what a client or worker gets back from it.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFound } from '../../storage/blob-store.js';
import { CLAIM_CHECK_ENCODING, ClaimCheckCodec, DEFAULT_CLAIM_CHECK_THRESHOLD } from '../../storage/claim-check-codec.js';
import { LocalBlobStore } from '../../storage/local-blob-store.js';

let dir: string;
let store: LocalBlobStore;
let codec: ClaimCheckCodec;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-claim-check-'));
  store = new LocalBlobStore(dir);
  codec = new ClaimCheckCodec(store);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const toPayload = (value: unknown) => defaultPayloadConverter.toPayload(value);
const encodingOf = (p: Payload) => new TextDecoder().decode(p.metadata!.encoding);
// Data plus metadata (names and values), as the codec measures a payload.
const sizeOf = (p: Payload) => (p.data?.byteLength ?? 0) + Object.entries(p.metadata ?? {}).reduce((n, [k, v]) => n + k.length + v.byteLength, 0);

async function blobCount(): Promise<number> {
  let count = 0;
  for (const shard of await readdir(dir)) count += (await readdir(path.join(dir, shard))).length;
  return count;
}

describe('ClaimCheckCodec', () => {
  it('sends a 10 MB payload as a reference of a few hundred bytes and gets the value back', async () => {
    const value = { result: 'x'.repeat(10 * 1024 * 1024), turns: 3 };
    const [encoded] = await codec.encode([toPayload(value)]);
    expect(encodingOf(encoded!)).toBe(CLAIM_CHECK_ENCODING);
    expect(sizeOf(encoded!)).toBeLessThan(500);
    const [decoded] = await codec.decode([encoded!]);
    expect(encodingOf(decoded!)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
  });

  it("keeps a binary payload's own metadata through the round trip", async () => {
    const bytes = new Uint8Array(DEFAULT_CLAIM_CHECK_THRESHOLD + 1).map((_, i) => i % 251);
    const [encoded] = await codec.encode([toPayload(bytes)]);
    const [decoded] = await codec.decode([encoded!]);
    expect(encodingOf(decoded!)).toBe('binary/plain');
    expect(Buffer.from(defaultPayloadConverter.fromPayload<Uint8Array>(decoded!)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('passes payloads at or under the threshold through untouched, both ways', async () => {
    const small = toPayload({ prompt: 'short' });
    const [encoded] = await codec.encode([small]);
    expect(encoded).toBe(small);
    expect((await codec.decode([small]))[0]).toBe(small);
    const tight = new ClaimCheckCodec(store, { thresholdBytes: sizeOf(small) });
    expect((await tight.encode([small]))[0]).toBe(small);
    expect(encodingOf((await new ClaimCheckCodec(store, { thresholdBytes: sizeOf(small) - 1 }).encode([small]))[0]!)).toBe(CLAIM_CHECK_ENCODING);
  });

  it('stores identical payloads once', async () => {
    const before = await blobCount();
    const big = () => toPayload({ same: 'y'.repeat(300_000) });
    const encoded = await codec.encode([big(), big()]);
    const again = await codec.encode([big()]);
    expect(await blobCount()).toBe(before + 1);
    expect(new Set([...encoded, ...again].map((p) => Buffer.from(p.data!).toString())).size).toBe(1);
  });

  it('fails with a message naming the key when the store does not have it', async () => {
    const [encoded] = await new ClaimCheckCodec(new LocalBlobStore(path.join(dir, '..', path.basename(dir) + '-other'))).encode([
      toPayload('z'.repeat(200_000)),
    ]);
    const { key } = JSON.parse(Buffer.from(encoded!.data!).toString()) as { key: string };
    const error = await codec.decode([encoded!]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobNotFound);
    expect((error as Error).message).toContain(key);
    expect((error as Error).message).toContain(dir);
    await rm(path.join(dir, '..', path.basename(dir) + '-other'), { recursive: true, force: true });
  });
});
