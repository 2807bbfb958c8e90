// A StorageDriver for Temporal's External Storage over S3: payloads past the threshold are
// written as objects (the Payload's protobuf bytes) and history keeps a reference. Temporal's
// own S3 driver package is published only for SDK 1.22, so this is the small driver of our own
// its documentation invites; it also keeps objects under the run's workflow id (bucket-layout.ts).
import { createHash } from 'node:crypto';
import { StorageDriverClaim, type Payload, type StorageDriver, type StorageDriverRetrieveContext, type StorageDriverStoreContext } from '@temporalio/common';
// A CommonJS module whose exports Node cannot name statically.
import proto from '@temporalio/proto';
import { keySegment, PAYLOADS_FOLDER, SCHEDULE_PAYLOADS_FOLDER } from './bucket-layout.js';
import { ObjectStoreError } from './object-store-error.js';
import type { S3Objects } from './s3-objects.js';

const PayloadProto = proto.temporal.api.common.v1.Payload;

export const S3_DRIVER_NAME = 'baton-s3';

export class S3StorageDriver implements StorageDriver {
  readonly name = S3_DRIVER_NAME;
  readonly type = 'baton.s3';

  /** `folder`: PAYLOADS_FOLDER, or SCHEDULE_PAYLOADS_FOLDER for a client that creates schedules. */
  constructor(
    private readonly objects: S3Objects,
    private readonly folder: string = PAYLOADS_FOLDER,
  ) {}

  async store(context: StorageDriverStoreContext, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    const target = context.target;
    const folder = `${this.folder}${keySegment(target?.namespace)}/${keySegment(target?.kind === 'workflow' ? target.id : undefined)}/`;
    return Promise.all(
      payloads.map(async (payload) => {
        const bytes = PayloadProto.encode(PayloadProto.create(payload)).finish();
        const key = this.objects.keyOf(`${folder}${createHash('sha256').update(bytes).digest('hex')}`);
        await this.objects.put(key, bytes, context.abortSignal);
        return new StorageDriverClaim({ bucket: this.objects.location.bucket, key });
      }),
    );
  }

  async retrieve(context: StorageDriverRetrieveContext, claims: StorageDriverClaim[]): Promise<Payload[]> {
    return Promise.all(
      claims.map(async ({ claimData }) => {
        const key = this.checkClaim(claimData);
        const bytes = await this.objects.get(key, context.abortSignal);
        if (bytes === null) {
          throw new ObjectStoreError(
            `Payload s3://${claimData.bucket}/${key} is not in the object store: it was removed (a lifecycle rule shorter than the run's life?) ` +
              'or this process points at another store than the one that wrote it.',
          );
        }
        const payload = PayloadProto.decode(bytes);
        return { metadata: payload.metadata, data: payload.data };
      }),
    );
  }

  /** A reference comes from a history anyone who can start a run can write: read only this deployment's payloads. */
  private checkClaim(claimData: Record<string, string>): string {
    const { bucket, key } = claimData;
    const mine = [PAYLOADS_FOLDER, SCHEDULE_PAYLOADS_FOLDER].map((folder) => this.objects.keyOf(folder));
    if (bucket !== this.objects.location.bucket || !mine.some((prefix) => key?.startsWith(prefix)) || key!.includes('..')) {
      throw new ObjectStoreError(
        `A payload refers to s3://${bucket}/${key ?? ''}, outside this process's store s3://${this.objects.location.bucket}/${this.objects.keyOf('')}: ` +
          'set BATON_BLOB_STORE to the store the workers use.',
      );
    }
    return key;
  }
}
