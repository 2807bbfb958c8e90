// Baton's storage on a real S3 server (SeaweedFS): checkpoints and payloads land under the
// documented prefixes, references outside the deployment's prefix are refused, a payload
// written by one process is read by another, and an unreachable bucket says what to fix.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseBlobStoreLocation } from '../../config/blob-store-location.js';
import { BlobNotFound } from '../../storage/blob-store.js';
import { startCodecServer } from '../../storage/codec-server.js';
import { openStorage, type BatonStorage } from '../../storage/open-storage.js';
import { S3StorageDriver } from '../../storage/s3-storage-driver.js';
import { S3Objects } from '../../storage/s3-objects.js';
import { StorageDriverClaim } from '@temporalio/common';
import { findSeaweedFs, startSeaweedFs, type RunningSeaweedFs } from '../harness/seaweedfs.js';

const weed = findSeaweedFs();
let s3: RunningSeaweedFs | undefined;
const opened: BatonStorage[] = [];
const savedEnv = { ...process.env };

async function open(prefix = 'team-a'): Promise<BatonStorage> {
  const storage = await openStorage(parseBlobStoreLocation(`s3://${s3!.bucket}/${prefix}`, '/nonexistent', '/', s3!.env));
  opened.push(storage);
  return storage;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await s3!.client.send(new ListObjectsV2Command({ Bucket: s3!.bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((o) => o.Key!).sort();
}

describe.skipIf(!weed)('the S3 blob store', () => {
  beforeAll(async () => {
    s3 = await startSeaweedFs(weed!);
    // The AWS SDK reads credentials from this process's environment, as in a Baton process.
    Object.assign(process.env, s3.env);
  });

  afterAll(async () => {
    for (const storage of opened) storage.close();
    await s3?.stop();
    for (const key of Object.keys(s3?.env ?? {})) if (savedEnv[key] === undefined) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  it('keeps big checkpoints and checkpoint slots under checkpoints/, readable by another process', async () => {
    const writer = await open();
    const reader = await open();
    const bytes = new TextEncoder().encode('a gzipped conversation'.repeat(1000));
    const key = await writer.blobStore.put(bytes);
    expect(Buffer.from(await reader.blobStore.get(key)).equals(Buffer.from(bytes))).toBe(true);
    await expect(reader.blobStore.get('0'.repeat(64))).rejects.toBeInstanceOf(BlobNotFound);

    await writer.checkpointSlots.write('run 1/abc/7', '{"turns":2}');
    expect(await reader.checkpointSlots.read('run 1/abc/7')).toBe('{"turns":2}');
    expect(await keysUnder('team-a/checkpoints/')).toEqual([`team-a/checkpoints/blobs/${key}`, 'team-a/checkpoints/slots/run%201/abc/7']);
    await reader.checkpointSlots.remove('run 1/abc/7');
    expect(await writer.checkpointSlots.read('run 1/abc/7')).toBeNull();
  });

  it('stores payloads under payloads/<namespace>/<workflowId>/ and refuses a reference outside them', async () => {
    const objects = new S3Objects(parseBlobStoreLocation(`s3://${s3!.bucket}/team-b`, '/', '/', s3!.env) as never);
    const driver = new S3StorageDriver(objects);
    const payload = { metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify('x'.repeat(20_000))) };
    const [claim] = await driver.store({ target: { kind: 'workflow', namespace: 'default', id: 'review/42' } }, [payload]);
    expect(claim!.claimData.key).toMatch(/^team-b\/payloads\/default\/review%2F42\/[0-9a-f]{64}$/);
    const [back] = await driver.retrieve({}, [claim!]);
    expect(Buffer.from(back!.data!).toString()).toBe(JSON.stringify('x'.repeat(20_000)));

    await expect(driver.retrieve({}, [new StorageDriverClaim({ bucket: s3!.bucket, key: 'team-a/checkpoints/slots/x' })])).rejects.toThrow(
      /outside this process's store .*set BATON_BLOB_STORE/,
    );
    objects.close();
  });

  it('moves payloads over 16 KiB of a real run to the bucket, and the codec server gives them back', async () => {
    const storage = await open('team-c');
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const client = new Client({ connection, dataConverter: storage.dataConverter });
      const big = 'y'.repeat(50_000);
      // A workflow no worker runs: its start input alone is the payload under test.
      const handle = await client.workflow.start('noSuchWorkflow', {
        taskQueue: `object-store-${Date.now()}`,
        workflowId: `object-store-${Date.now()}`,
        args: [big, 'small'],
      });
      const raw = new Client({ connection });
      const history = await raw.workflow.getHandle(handle.workflowId).fetchHistory();
      const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
      // History holds a small reference to the 50 KB argument, the small one inline.
      expect(Buffer.from(input[0]!.metadata!.messageType!).toString()).toBe('temporal.api.sdk.v1.ExternalStorageReference');
      expect(input[0]!.data!.byteLength).toBeLessThan(1000);
      expect(Buffer.from(input[1]!.data!).toString()).toBe('"small"');
      expect(await keysUnder(`team-c/payloads/default/${handle.workflowId}/`)).toHaveLength(1);

      const codec = await startCodecServer({ storage, port: 0, allowedOrigins: ['http://localhost:8233'], allowEncode: true });
      try {
        const body = {
          payloads: input.map((p) => ({
            metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
            data: Buffer.from(p.data!).toString('base64'),
          })),
        };
        const answer = await fetch(`${codec.url}/decode`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: 'http://localhost:8233' },
          body: JSON.stringify(body),
        });
        expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
        const decoded = (await answer.json()) as { payloads: { data: string; metadata: Record<string, string> }[] };
        expect(decoded.payloads.map((p) => JSON.parse(Buffer.from(p.data, 'base64').toString()))).toEqual([big, 'small']);
        expect(Buffer.from(decoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');

        // The CLI's templated form, /{namespace}/encode then /decode: a big payload becomes a reference and back.
        const post = async (path: string, payloads: unknown) =>
          (
            (await (await fetch(`${codec.url}${path}`, { method: 'POST', body: JSON.stringify({ payloads }) })).json()) as {
              payloads: { data: string; metadata: Record<string, string> }[];
            }
          ).payloads;
        const encoded = await post('/default/encode', [body.payloads[1], decoded.payloads[0]]);
        expect(Buffer.from(encoded[1]!.metadata.messageType!, 'base64').toString()).toBe('temporal.api.sdk.v1.ExternalStorageReference');
        expect(encoded[0]).toEqual(body.payloads[1]);
        const back = await post('/default/decode', encoded);
        expect(back.map((p) => JSON.parse(Buffer.from(p.data, 'base64').toString()))).toEqual(['small', big]);

        const preflight = await fetch(`${codec.url}/decode`, {
          method: 'OPTIONS',
          headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' },
        });
        expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      } finally {
        await codec.close();
      }
      await handle.terminate('test over');
    } finally {
      await connection.close();
    }
  });

  it('names the fix when the bucket does not exist', async () => {
    const storage = await openStorage(parseBlobStoreLocation('s3://no-such-bucket-here', '/', '/', s3!.env));
    opened.push(storage);
    await expect(storage.check()).rejects.toThrow(/create the bucket no-such-bucket-here/);
  });
});
