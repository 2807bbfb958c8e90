// A BlobStore in an S3 bucket, for agent checkpoints too big to heartbeat inline. Every put
// writes the object again, even when it exists: its age is then the time it was last needed,
// which is what a bucket lifecycle rule expires by (see storage/bucket-layout.ts).
import { BlobCorrupted, BlobNotFound, blobKey, checkBlobKey, type BlobStore } from './blob-store.js';
import type { S3Objects } from './s3-objects.js';

export class S3BlobStore implements BlobStore {
  /** `folder` is the part of the key between the deployment's prefix and the hash, ending in '/'. */
  constructor(
    private readonly objects: S3Objects,
    private readonly folder: string,
  ) {}

  async put(bytes: Uint8Array): Promise<string> {
    const key = blobKey(bytes);
    await this.objects.put(this.keyOf(key), bytes);
    return key;
  }

  async get(key: string): Promise<Uint8Array> {
    const bytes = await this.objects.get(this.keyOf(key));
    if (bytes === null) throw new BlobNotFound(key, `s3://${this.objects.location.bucket}/${this.objects.keyOf(this.folder)}`);
    if (blobKey(bytes) !== key)
      throw new BlobCorrupted(`Blob ${key} in s3://${this.objects.location.bucket}/${this.keyOf(key)} does not match its hash; delete the object and rerun.`);
    return bytes;
  }

  async has(key: string): Promise<boolean> {
    return (await this.objects.get(this.keyOf(key))) !== null;
  }

  private keyOf(key: string): string {
    return this.objects.keyOf(`${this.folder}${checkBlobKey(key)}`);
  }
}
