// What opening a deployment's storage gives (storage/open-storage.ts), for every kind of store. Types only.
import type { DataConverter } from '@temporalio/common';
import type { BlobStore } from './blob-store.js';
import type { CheckpointSlots } from './checkpoint-slots.js';

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
