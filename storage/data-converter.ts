import type { DataConverter } from '@temporalio/common';
import type { BlobStore } from './blob-store.js';
import { ClaimCheckCodec } from './claim-check-codec.js';
import { defaultBlobDir, LocalBlobStore } from './local-blob-store.js';

/** The blob store every process of a deployment shares: `$BATON_HOME/blobs` unless replaced. */
export function defaultBlobStore(home: string): BlobStore {
  return new LocalBlobStore(defaultBlobDir(home));
}

/**
 * The data converter of every Baton client and worker: big payloads (prompts, results,
 * checkpoints, failure details) travel as references into the blob store, so no script can
 * push a run past Temporal's 2 MB payload limit. Client and workers must use the same store.
 */
export function batonDataConverter(store: BlobStore): DataConverter {
  return { payloadCodecs: [new ClaimCheckCodec(store)] };
}
