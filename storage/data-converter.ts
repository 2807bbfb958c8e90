import type { DataConverter } from '@temporalio/common';
import type { BlobStore } from './blob-store.js';
import { ClaimCheckCodec } from './claim-check-codec.js';

/**
 * The data converter of Baton's clients and workers on a directory store (open-storage.ts
 * chooses; an S3 store uses Temporal's External Storage instead): big payloads (prompts,
 * results, checkpoints, failure details) travel as references into the blob store, so no
 * script can push a run past Temporal's 2 MB payload limit. Client and workers must use the
 * same store.
 */
export function batonDataConverter(store: BlobStore): DataConverter {
  return { payloadCodecs: [new ClaimCheckCodec(store)] };
}
