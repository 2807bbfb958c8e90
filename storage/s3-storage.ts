// A deployment's storage in an S3 bucket: payloads through Temporal's External Storage, agent
// checkpoints as objects beside them (bucket-layout.ts), so no process writes to a local disk.
import { ExternalStorage } from '@temporalio/common';
import { describeBlobStore } from '../config/blob-store-location.js';
import { CHECKPOINT_BLOBS_FOLDER, CHECKPOINT_SLOTS_FOLDER, PAYLOADS_FOLDER, SCHEDULE_PAYLOADS_FOLDER, SCORES_FOLDER } from './bucket-layout.js';
import { DEFAULT_CLAIM_CHECK_THRESHOLD } from './claim-check-codec.js';
import type { BatonStorage, StorageOptions } from './storage-types.js';
import { S3BlobStore } from './s3-blob-store.js';
import { S3CheckpointSlots } from './s3-checkpoint-slots.js';
import { S3Objects, type S3Location } from './s3-objects.js';
import { S3StorageDriver } from './s3-storage-driver.js';

export function openS3Storage(location: S3Location, options: StorageOptions = {}): BatonStorage {
  const objects = new S3Objects(location);
  const driver = new S3StorageDriver(objects, options.forSchedules ? SCHEDULE_PAYLOADS_FOLDER : PAYLOADS_FOLDER);
  return {
    // Temporal's External Storage rather than Baton's claim-check codec: the SDK then covers every
    // payload path itself (queries, heartbeats, schedules, failures), and the same 16 KiB
    // threshold keeps a 1000-agent history as small as the codec does.
    dataConverter: {
      externalStorage: new ExternalStorage({ drivers: [driver], payloadSizeThreshold: DEFAULT_CLAIM_CHECK_THRESHOLD }),
    },
    blobStore: new S3BlobStore(objects, CHECKPOINT_BLOBS_FOLDER),
    checkpointSlots: new S3CheckpointSlots(objects, CHECKPOINT_SLOTS_FOLDER),
    scoreRecords: new S3CheckpointSlots(objects, SCORES_FOLDER),
    description: describeBlobStore(location),
    check: () => objects.check(),
    close: () => objects.close(),
  };
}
