// The storage a Baton process uses, chosen by BATON_BLOB_STORE: the data converter of its
// Temporal client or worker, and the agent's checkpoint stores. Every process of a deployment
// (workers, CLI, codec server) must open the same location.
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { describeBlobStore, type BlobStoreLocation } from '../config/blob-store-location.js';
import type { BlobStore } from './blob-store.js';
import { LocalCheckpointSlots, type CheckpointSlots } from './checkpoint-slots.js';
import { batonDataConverter } from './data-converter.js';
import { LocalBlobStore } from './local-blob-store.js';

export interface BatonStorage {
  /** For every Temporal client and worker of the deployment. */
  dataConverter: DataConverter;
  /** Agent checkpoints too big to heartbeat inline. */
  blobStore: BlobStore;
  checkpointSlots: CheckpointSlots;
  /** Scores given to runs after they ended (`baton score`), one record per workflow id: a closed run's history, memo and search attributes are fixed. */
  scoreRecords: CheckpointSlots;
  /** s3://bucket/prefix/ or the directory, for start-up lines and errors. */
  description: string;
  /** Rejects, saying what to fix, when the store cannot be reached (a no-op for a directory). */
  check(): Promise<void>;
  close(): void;
}

export interface StorageOptions {
  /** For a client that creates schedules: their payloads live as long as the schedule (bucket-layout.ts). */
  forSchedules?: boolean;
}

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
