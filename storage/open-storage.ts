// The storage a Baton process uses, chosen by BATON_BLOB_STORE: the data converter of its
// Temporal client or worker, and the agent's checkpoint stores. Every process of a deployment
// (workers, CLI, codec server) must open the same location.
import { join } from 'node:path';
import { describeBlobStore, type BlobStoreLocation } from '../config/blob-store-location.js';
import { LocalCheckpointSlots } from './checkpoint-slots.js';
import { batonDataConverter } from './data-converter.js';
import { LocalBlobStore } from './local-blob-store.js';
import type { BatonStorage, StorageOptions } from './storage-types.js';

export type { BatonStorage, StorageOptions };

export async function openStorage(location: BlobStoreLocation, options: StorageOptions = {}): Promise<BatonStorage> {
  // The AWS SDK is loaded only for an S3 store: it would add ~80 ms to every CLI command.
  if (location.kind === 's3') return (await import('./s3-storage.js')).openS3Storage(location, options);
  const blobStore = new LocalBlobStore(location.dir);
  return {
    dataConverter: batonDataConverter(blobStore),
    blobStore,
    checkpointSlots: new LocalCheckpointSlots(location.checkpointDir),
    scoreRecords: new LocalCheckpointSlots(join(location.dir, 'scores')),
    description: describeBlobStore(location),
    check: async () => {},
    close: () => {},
  };
}
