// Where Baton keeps bytes too big to travel through Temporal: payloads over the claim-check
// threshold (directory stores) and agent checkpoints over the heartbeat cap. Content-addressed,
// so a key is the same on every process. Implementations: LocalBlobStore (a directory) and
// S3BlobStore (a bucket; open-storage.ts picks by BATON_BLOB_STORE). Another object store (GCS,
// Azure Blob) would implement this and a Temporal StorageDriver the same way.
import { createHash } from 'node:crypto';

export interface BlobStore {
  /** Stores the bytes and resolves with their key, the SHA-256 of the bytes in lower-case hex. Idempotent. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes stored under `key`; rejects with BlobNotFound when there are none. */
  get(key: string): Promise<Uint8Array>;
  has?(key: string): Promise<boolean>;
}

/** Thrown when a key is not in the store: it was written to a store this process cannot see, or removed. */
export class BlobNotFound extends Error {
  override name = 'BlobNotFound';
  constructor(
    readonly key: string,
    where: string,
  ) {
    super(
      `Blob ${key} is not in the blob store at ${where}. Every worker and client of a run must share one blob store: ` +
        'on one machine, the same BATON_HOME; on a fleet, an object store (S3, GCS) configured on all of them.',
    );
  }
}

/** Thrown when stored bytes no longer hash to their key (a torn or tampered file). */
export class BlobCorrupted extends Error {
  override name = 'BlobCorrupted';
}

export function blobKey(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const KEY_FORMAT = /^[0-9a-f]{64}$/;

/** Keys come back from payloads and heartbeats; anything but a hash is refused before it names a path. */
export function checkBlobKey(key: string): string {
  if (!KEY_FORMAT.test(key)) throw new Error(`Not a blob key (64 lower-case hex digits): ${JSON.stringify(key.slice(0, 80))}`);
  return key;
}
