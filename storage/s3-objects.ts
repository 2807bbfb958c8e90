// The few S3 calls Baton makes (put, get, delete, and a reachability check), on a bucket and
// prefix, with S3's errors turned into messages that say what to fix. Endpoint, region and
// credentials come from the AWS SDK's own chain; an S3-compatible endpoint is addressed
// path-style, the only style such stores (SeaweedFS, MinIO, Ceph) answer on a plain host name.
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BlobStoreLocation } from '../config/blob-store-location.js';
import { ObjectStoreError } from './object-store-error.js';

export type S3Location = Extract<BlobStoreLocation, { kind: 's3' }>;

export class S3Objects {
  readonly client: S3Client;

  constructor(readonly location: S3Location) {
    // Baton supports Node 20; the SDK's notice that its releases after January 2027 need Node 22
    // would otherwise be printed by every CLI command.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
      ...(location.region ? { region: location.region } : {}),
      // Integrity is checked by content hashes where it matters; the SDK's default trailing
      // checksums are not understood by every S3-compatible store.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** The full object key of `name` under this deployment's prefix. */
  keyOf(name: string): string {
    return `${this.location.prefix}${name}`;
  }

  async put(key: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
    await this.call('write', key, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: key, Body: bytes }), { abortSignal: signal }),
    );
  }

  /** The object's bytes, or null when there is none. */
  async get(key: string, signal?: AbortSignal): Promise<Uint8Array | null> {
    return this.call('read', key, async () => {
      try {
        const answer = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }), { abortSignal: signal });
        return (await answer.Body?.transformToByteArray()) ?? new Uint8Array();
      } catch (error) {
        if ((error as Error).name === 'NoSuchKey') return null;
        throw error;
      }
    });
  }

  async delete(key: string): Promise<void> {
    await this.call('delete', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: key })));
  }

  /** Rejects, saying what to fix, when the bucket cannot be reached with these credentials. */
  async check(): Promise<void> {
    await this.call('reach', '', () => this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket })));
  }

  close(): void {
    this.client.destroy();
  }

  private async call<T>(action: string, key: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.explain(action, key, error as Error & { $metadata?: { httpStatusCode?: number } });
    }
  }

  private explain(action: string, key: string, error: Error & { $metadata?: { httpStatusCode?: number } }): Error {
    if (error.name === 'AbortError') return error;
    const where = `s3://${this.location.bucket}/${key}${this.location.endpoint ? ` at ${this.location.endpoint}` : ''}`;
    const status = error.$metadata?.httpStatusCode;
    let fix: string;
    if (error.name === 'NoSuchBucket' || (status === 404 && key === ''))
      fix = `create the bucket ${this.location.bucket}, or point BATON_BLOB_STORE at an existing one`;
    else if (error.name === 'CredentialsProviderError' || /credential/i.test(error.message)) {
      fix = 'give this process AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a role)';
    } else if (/region/i.test(error.message)) fix = 'set AWS_REGION';
    else if (status === 403)
      fix = `let these credentials ${action === 'read' ? 's3:GetObject' : action === 'write' ? 's3:PutObject' : 's3:ListBucket and s3:GetObject'} on the bucket`;
    else fix = 'check that the object store answers at AWS_ENDPOINT_URL_S3 (or AWS S3 is reachable) and retry';
    const said = (error.message || error.name).replace(/\.+$/, '');
    return new ObjectStoreError(`Could not ${action} ${where}: ${said}. To fix: ${fix}.`, { cause: error });
  }
}
