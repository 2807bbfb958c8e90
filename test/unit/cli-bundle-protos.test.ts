// The CLI bundle's Temporal protobuf definitions (scripts/cli-bundle-protos.mjs) are built
// lazily: each message type's fields are made at first use, and its codecs at first call. A
// client built from them must read and write exactly the bytes the SDK's own definitions do,
// whichever order a command touches its types in.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import type * as protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';
import { cliBundleProtos, UNUSED_NAMESPACES } from '../../scripts/cli-bundle-protos.mjs';

const require = createRequire(import.meta.url);
const eagerRoot = require('@temporalio/proto') as protobuf.Root;

/** A fresh copy of the bundled definitions: a new file, so a new protobufjs with its own root. */
async function bundledRoot(name: string): Promise<protobuf.Root> {
  const dir = tempDir('baton-protos-');
  writeFileSync(join(dir, 'entry.cjs'), "module.exports = require('@temporalio/proto');");
  const outfile = join(dir, `${name}.cjs`);
  await build({
    entryPoints: [join(dir, 'entry.cjs')],
    nodePaths: [join(process.cwd(), 'node_modules')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    logLevel: 'silent',
    plugins: [cliBundleProtos],
  });
  return require(outfile) as protobuf.Root;
}

function messageTypes(ns: protobuf.NamespaceBase, out: protobuf.Type[] = []): protobuf.Type[] {
  for (const nested of ns.nestedArray) {
    if ((nested.constructor as { className?: string }).className === 'Type') out.push(nested as protobuf.Type);
    if ('nestedArray' in nested) messageTypes(nested as protobuf.NamespaceBase, out);
  }
  return out;
}

/** An extension's copy on the type it extends, from a namespace the bundle leaves out. */
const leftOut = (field: protobuf.Field) => (UNUSED_NAMESPACES as string[]).some((ns) => field.name.startsWith(`.${ns}.`));

/** What decides a type's wire format and JSON shape, field by field. */
function shape(type: protobuf.Type) {
  type.setup();
  return type.fieldsArray
    .filter((field) => !leftOut(field))
    .map((field) => ({
      name: field.name,
      id: field.id,
      type: field.type,
      rule: field.rule,
      resolvedType: field.resolvedType?.fullName ?? null,
      oneof: field.partOf?.name ?? null,
      features: (field as unknown as { _features: unknown })._features,
    }));
}

const START_REQUEST = {
  namespace: 'default',
  workflowId: 'run-1',
  workflowType: { name: 'interpreter' },
  taskQueue: { name: 'baton', kind: 1 },
  input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"a":1}') }] },
  workflowExecutionTimeout: { seconds: 3600 },
  requestId: 'req-1',
  retryPolicy: { maximumAttempts: 3, nonRetryableErrorTypes: ['UserError'] },
  memo: { fields: { script: { data: Buffer.from('"x"') } } },
  searchAttributes: { indexedFields: { BatonScript: { data: Buffer.from('"x"') } } },
  header: { fields: {} },
};

describe('the CLI bundle protobuf definitions', () => {
  let lazyFirst: protobuf.Root;
  let setupFirst: protobuf.Root;
  beforeAll(async () => {
    [lazyFirst, setupFirst] = await Promise.all([bundledRoot('fields-first'), bundledRoot('setup-first')]);
  }, 60_000);

  it('give every kept message type the fields, oneofs and features of the SDK definitions', () => {
    // One copy has every type's fields made before any codec exists (before the root resolves
    // features); the other makes them type by type as codecs are built (after it).
    const early = messageTypes(lazyFirst);
    for (const type of early) void type.fieldsArray;
    const late = messageTypes(setupFirst);
    expect(late.length).toBeGreaterThan(500);
    for (const types of [early, late]) {
      for (const type of types) expect(shape(type), type.fullName).toEqual(shape(eagerRoot.lookupType(type.fullName)));
    }
  });

  it('encode and decode a start request byte for byte as the SDK does', () => {
    const name = 'temporal.api.workflowservice.v1.StartWorkflowExecutionRequest';
    const eager = eagerRoot.lookupType(name);
    const lazy = lazyFirst.lookupType(name);
    const bytes = eager.encode(eager.fromObject(START_REQUEST)).finish();
    expect(Buffer.from(lazy.encode(lazy.fromObject(START_REQUEST)).finish())).toEqual(Buffer.from(bytes));
    expect(lazy.toObject(lazy.decode(bytes), { longs: String })).toEqual(eager.toObject(eager.decode(bytes), { longs: String }));
  });
});
