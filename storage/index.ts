// Big bytes out of Temporal's way: the blob store interface and its implementations, the
// claim-check codec of directory stores, and the storage a process opens by BATON_BLOB_STORE.
export { BlobCorrupted, BlobNotFound, blobKey, type BlobStore } from './blob-store.js';
export { defaultBlobDir, LocalBlobStore } from './local-blob-store.js';
export { CLAIM_CHECK_ENCODING, ClaimCheckCodec, DEFAULT_CLAIM_CHECK_THRESHOLD, type ClaimCheckOptions } from './claim-check-codec.js';
export { openStorage, type BatonStorage } from './open-storage.js';
export { ObjectStoreError } from './object-store-error.js';
