#!/usr/bin/env node
// What an S3 object store (SeaweedFS on loopback) adds per agent against the local directory
// store: (1) the data converter's put and get of one 100 KB payload, and a checkpoint's slot
// write and read, each timed on its own; (2) the same fan-out run (N agents with 100 KB prompts
// and 100 KB results) on one worker with either store, with its attempt times, makespan and the
// bytes each store holds afterwards. Prints figures; asserts nothing.
//
//   npm run build && node scripts/bench-object-store.mjs [--agents 60] [--kb 100] [--ops 100] [--cap 32]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ExternalStorageRunner } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { parseBlobStoreLocation } from '../dist/config/blob-store-location.js';
import { openStorage } from '../dist/storage/open-storage.js';
import { findSeaweedFs, startSeaweedFs } from '../dist/test/harness/seaweedfs.js';
import { firstUserText, reply, text } from '../dist/test/model-server/index.js';
import { directoryBytes, mib, numericFlags, printTable, startBench } from './bench-harness.mjs';

const o = numericFlags('node scripts/bench-object-store.mjs: what an S3 object store adds per agent against the local store', {
  agents: 60,
  kb: 100,
  ops: 100,
  cap: 32,
});
const weed = findSeaweedFs();
if (!weed) process.exit(2);

const s3 = await startSeaweedFs(weed, { bucket: 'baton-bench' });
// The AWS SDK reads credentials and the endpoint from the environment, as a Baton process does.
Object.assign(process.env, s3.env);
const localHome = mkdtempSync(join(tmpdir(), 'baton-bench-local-'));
const stores = {
  local: parseBlobStoreLocation(undefined, localHome, localHome, process.env),
  s3: parseBlobStoreLocation(`s3://${s3.bucket}/bench`, localHome, localHome, process.env),
};
let bench;
try {
  await operations();
  bench = await startBench({
    // 'é' is two bytes: a 100 KB answer within one turn's token cap, distinct per agent
    // ('task N ...'), so no store can keep one copy for all.
    responder: (request) => reply(text(`${firstUserText(request).split(' ')[1]} ${'é'.repeat((o.kb * 1000) / 2)}`)),
  });
  await runs();
} finally {
  await bench?.close();
  await s3.stop();
  rmSync(localHome, { recursive: true, force: true });
}

/** (1) Each storage operation an agent's data goes through, timed alone, `ops` times. */
async function operations() {
  const rows = [];
  const perAgent = {};
  for (const [name, location] of Object.entries(stores)) {
    const storage = await openStorage(location);
    const codecs = storage.dataConverter.payloadCodecs ?? [];
    const runner = storage.dataConverter.externalStorage ? new ExternalStorageRunner(storage.dataConverter.externalStorage) : undefined;
    const target = { kind: 'workflow', namespace: 'default', id: 'bench-ops' };
    const put = async (payloads) => {
      for (const codec of codecs) payloads = await codec.encode(payloads);
      return runner ? runner.store(payloads, { target }) : payloads;
    };
    const get = async (payloads) => {
      if (runner) payloads = await runner.retrieve(payloads);
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      return payloads;
    };
    // Distinct bytes every time, so neither store can answer from a previous write.
    const payload = () => ({
      metadata: { encoding: Buffer.from('json/plain') },
      data: Buffer.from(JSON.stringify(`${randomUUID()} ${'x'.repeat(o.kb * 1000)}`)),
    });
    const puts = [];
    const gets = [];
    const slotWrites = [];
    const slotReads = [];
    for (let i = 0; i < o.ops; i++) {
      let started = performance.now();
      const stored = await put([payload()]);
      puts.push(performance.now() - started);
      started = performance.now();
      await get(stored);
      gets.push(performance.now() - started);
      const slot = `bench/${i}/1`;
      started = performance.now();
      await storage.checkpointSlots.write(slot, JSON.stringify({ turns: i, checkpoint: { v: 1, gzip: 'x'.repeat(300) } }));
      slotWrites.push(performance.now() - started);
      started = performance.now();
      await storage.checkpointSlots.read(slot);
      slotReads.push(performance.now() - started);
    }
    storage.close();
    const p = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))].toFixed(1);
    rows.push([
      name,
      `${p(puts, 0.5)} / ${p(puts, 0.9)}`,
      `${p(gets, 0.5)} / ${p(gets, 0.9)}`,
      `${p(slotWrites, 0.5)} / ${p(slotWrites, 0.9)}`,
      `${p(slotReads, 0.5)} / ${p(slotReads, 0.9)}`,
    ]);
    const median = (values) => Number(p(values, 0.5));
    // An agent: its prompt and its result are each put once and got once; a turn writes its slot.
    perAgent[name] = 2 * median(puts) + 2 * median(gets);
  }
  console.log(`\nstorage operations, ${o.ops} each, ${o.kb} KB payloads (ms, median / 90th percentile), one at a time:`);
  printTable(['store', `put ${o.kb} KB`, `get ${o.kb} KB`, 'slot write', 'slot read'], rows);
  console.log(
    `per agent (prompt and result, each put and got once): local ${perAgent.local.toFixed(1)} ms, S3 ${perAgent.s3.toFixed(1)} ms ` +
      `(+${(perAgent.s3 - perAgent.local).toFixed(1)} ms), plus one slot write per completed turn`,
  );
}

/** (2) The same run on each store: one worker, N agents with big prompts and big results. */
async function runs() {
  const script = `export const meta = { name: 'bench-object-store', description: 'benchmark: big prompts and results' }
const pad = 'x'.repeat(args.promptBytes)
const results = await parallel(Array.from({ length: args.agents }, (_, i) => () => agent('task ' + i + ' ' + pad)))
return { done: results.filter((r) => r !== null).length }
`;
  const rows = [];
  for (const name of Object.keys(stores)) {
    const env = { ...bench.fleetEnv(name), ...(name === 's3' ? { BATON_BLOB_STORE: `s3://${s3.bucket}/run` } : {}) };
    await bench.startWorker(env, { concurrency: o.cap });
    await bench.warmUp(env);
    const before = name === 's3' ? await bucketBytes('run/') : directoryBytes(join(env.BATON_HOME, 'blobs'));
    const { report, chain } = await bench.run(env, script, { concurrency: o.cap, maxAgents: o.agents, args: { agents: o.agents, promptBytes: o.kb * 1000 } });
    const after = name === 's3' ? await bucketBytes('run/') : directoryBytes(join(env.BATON_HOME, 'blobs'));
    await bench.stopWorkers();
    rows.push([
      name,
      `${report.status} ${report.result?.done ?? 0}/${o.agents}`,
      chain.workflowSeconds.toFixed(2),
      `${chain.stepMs.attempt.p50} / ${chain.stepMs.attempt.p90}`,
      `${chain.stepMs.dispatch.p50} / ${chain.stepMs.dispatch.p90}`,
      `${mib(after - before)} (${((after - before) / o.agents / 1000).toFixed(0)} KB)`,
      `${(chain.bytes / o.agents).toFixed(0)} B`,
    ]);
  }
  console.log(`\n${o.agents} agents × ${o.kb} KB prompts and ${o.kb} KB results, instant model, cap ${o.cap}, one worker of ${o.cap} slots:`);
  printTable(['store', 'agents', 'workflow s', 'attempt ms p50 / p90', 'dispatch ms p50 / p90', 'stored MiB (per agent)', 'history per agent'], rows);
}

async function bucketBytes(prefix) {
  let total = 0;
  let token;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) total += object.Size ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return total;
}
