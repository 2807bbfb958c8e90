// Big bytes out of Temporal's way: the blob store interface, its local implementation, and the
// payload codec that moves large payloads into it.
export { BlobCorrupted, BlobNotFound, blobKey, type BlobStore } from './blob-store.js';
export { defaultBlobDir, LocalBlobStore } from './local-blob-store.js';
export { CLAIM_CHECK_ENCODING, ClaimCheckCodec, DEFAULT_CLAIM_CHECK_THRESHOLD, type ClaimCheckOptions } from './claim-check-codec.js';
