// A BlobStore on the local filesystem: right for one machine, or for a fleet whose workers and
// clients all mount one shared directory. Files are sharded by the key's first two hex digits
// so no directory grows past a few thousand entries.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BlobCorrupted, BlobNotFound, blobKey, checkBlobKey, type BlobStore } from './blob-store.js';

/** `$BATON_HOME/blobs`: pass the resolved home from the settings, which are read once at start-up. */
export function defaultBlobDir(batonHome: string): string {
  return path.join(batonHome, 'blobs');
}

export class LocalBlobStore implements BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const key = blobKey(bytes);
    const file = this.fileOf(key);
    if (await this.has(key)) return key;
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a reader (another worker on a shared mount) never sees half a blob,
    // and two writers of the same key both end with the same complete file.
    const temp = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, file);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    return key;
  }

  async get(key: string): Promise<Uint8Array> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.fileOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFound(key, this.dir);
      throw e;
    }
    if (blobKey(bytes) !== key) throw new BlobCorrupted(`Blob ${key} in ${this.dir} does not match its hash; delete the file and rerun.`);
    return bytes;
  }

  async has(key: string): Promise<boolean> {
    return stat(this.fileOf(key)).then(
      () => true,
      () => false,
    );
  }

  private fileOf(key: string): string {
    checkBlobKey(key);
    return path.join(this.dir, key.slice(0, 2), key);
  }
}
