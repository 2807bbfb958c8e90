// The local blob store on a real temp directory: what another process sharing the directory
// would find there, and the errors a user sees when it is not shared.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobCorrupted, BlobNotFound } from '../../storage/blob-store.js';
import { defaultBlobDir, LocalBlobStore } from '../../storage/local-blob-store.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-blobs-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('LocalBlobStore', () => {
  it('stores bytes under their SHA-256, in a directory named by its first two digits', async () => {
    const store = new LocalBlobStore(path.join(dir, 'a'));
    const bytes = new TextEncoder().encode('hello blobs');
    const key = await store.put(bytes);
    expect(key).toBe(sha256(bytes));
    expect(await readdir(path.join(dir, 'a', key.slice(0, 2)))).toEqual([key]);
    expect(Buffer.from(await store.get(key)).toString()).toBe('hello blobs');
    expect(await store.has(key)).toBe(true);
  });

  it('is read by a second store on the same directory, as another worker would', async () => {
    const key = await new LocalBlobStore(path.join(dir, 'b')).put(new Uint8Array([1, 2, 3]));
    expect([...(await new LocalBlobStore(path.join(dir, 'b')).get(key))]).toEqual([1, 2, 3]);
  });

  it('stores identical bytes once and leaves no temp files, even when written concurrently', async () => {
    const store = new LocalBlobStore(path.join(dir, 'c'));
    const bytes = new Uint8Array(1_000_000).fill(7);
    const keys = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
    expect(new Set(keys).size).toBe(1);
    expect(await readdir(path.join(dir, 'c', keys[0]!.slice(0, 2)))).toEqual([keys[0]]);
  });

  it('says which key is missing, where it looked, and that the store must be shared', async () => {
    const store = new LocalBlobStore(path.join(dir, 'd'));
    const key = sha256(new TextEncoder().encode('never stored'));
    const error = await store.get(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobNotFound);
    expect((error as Error).message).toContain(key);
    expect((error as Error).message).toContain(path.join(dir, 'd'));
    expect((error as Error).message).toContain('Every worker and client of a run must share one blob store');
    expect((error as Error).message).toContain('object store');
    expect(await store.has(key)).toBe(false);
  });

  it.each(['../../etc/passwd', 'ABC', 'a'.repeat(63), ''])('refuses %j as a key before touching the filesystem', async (key) => {
    await expect(new LocalBlobStore(dir).get(key)).rejects.toThrow('Not a blob key');
  });

  it('refuses a file that no longer matches its key', async () => {
    const store = new LocalBlobStore(path.join(dir, 'e'));
    const key = await store.put(new TextEncoder().encode('original'));
    await writeFile(path.join(dir, 'e', key.slice(0, 2), key), 'tampered');
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobCorrupted);
  });

  it('lives in $BATON_HOME/blobs by default', () => {
    expect(defaultBlobDir('/home/u/.baton')).toBe('/home/u/.baton/blobs');
  });
});
