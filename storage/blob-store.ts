// Where Baton keeps bytes too big to travel through Temporal: payloads over the claim-check
// threshold and agent checkpoints over the heartbeat cap. Content-addressed, so a key is the
// same on every process and writing the same bytes twice stores them once.
//
// Plugging in an object store (S3, GCS, Azure Blob): implement BlobStore over the provider's
// SDK, for example
//   put: key = sha256Hex(bytes); PutObject { Key: `${prefix}${key}`, Body: bytes }, with
//        If-None-Match: * (or a HEAD first) so an existing blob is not rewritten;
//   get: GetObject { Key: `${prefix}${key}` }; the provider's "no such key" → BlobNotFound;
//   has: HeadObject.
// and pass it to the worker (createActivities' `blobStore`) and to the ClaimCheckCodec of
// every client and worker. Keys are content hashes, so a bucket can be shared by many runs;
// an object lifecycle rule (e.g. expire after 30 days) is the garbage collector.
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
