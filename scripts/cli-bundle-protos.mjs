// An esbuild plugin for the CLI bundle (scripts/bundle-cli.mjs): Temporal's protobuf definitions,
// built for a client that makes a few calls and exits (docs/performance.md#cli).
// 1. @temporalio/proto's definitions without the parts no client of Baton's calls: the worker
//    bridge's `coresdk` messages (the worker loads its own, unbundled copy), Temporal Cloud's
//    operations API and the gRPC gateway's annotations; the rest as one JSON.parse string, which
//    V8 reads much faster than a 1.4 MB object literal. The build checks that every type left
//    still resolves.
// 2. protobufjs's Service#create generates each method's request and response classes when a
//    connection is made (Temporal's client creates four services, about 250 methods); they are
//    generated at a method's first call instead, so a command pays only for the calls it makes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Namespaces (dotted paths from the root) that no Baton client calls. */
const UNUSED_NAMESPACES = ['coresdk', 'temporal.api.cloud', 'grpc.gateway'];

export const cliBundleProtos = {
  name: 'cli-bundle-protos',
  setup(build) {
    build.onLoad({ filter: /@temporalio[\\/]proto[\\/]protos[\\/]json-module\.js$/ }, ({ path }) => ({
      contents: leanJsonModule(readFileSync(path, 'utf8'), path),
      loader: 'js',
    }));
    build.onLoad({ filter: /[\\/]protobufjs[\\/]src[\\/]service\.js$/ }, ({ path }) => ({
      contents: replaceOnce(readFileSync(path, 'utf8'), EAGER_METHOD, LAZY_METHOD, path),
      loader: 'js',
    }));
  },
};

function leanJsonModule(source, path) {
  const match = /\.addJSON\(([\s\S]*)\);\s*\/\*\*/.exec(source);
  if (!match) throw new Error(`${path}: no .addJSON({...}) call; @temporalio/proto changed its layout, update scripts/cli-bundle-protos.mjs`);
  const json = JSON.parse(match[1]);
  for (const dotted of UNUSED_NAMESPACES) {
    const parts = dotted.split('.');
    const parent = parts.slice(0, -1).reduce((ns, part) => ns?.nested?.[part], { nested: json });
    if (!parent?.nested?.[parts.at(-1)]) throw new Error(`${path}: no namespace ${dotted}; update scripts/cli-bundle-protos.mjs`);
    delete parent.nested[parts.at(-1)];
  }
  // Throws if a kept type refers to a removed one.
  require('protobufjs/light').Root.fromJSON(json).resolveAll();
  return [
    '"use strict";',
    'var $protobuf = require("protobufjs/light");',
    'var $root = $protobuf.roots["__temporal"] || ($protobuf.roots["__temporal"] = new $protobuf.Root());',
    `module.exports = $root.addJSON(JSON.parse(${JSON.stringify(JSON.stringify(json))}));`,
  ].join('\n');
}

const EAGER_METHOD = `        rpcService[methodName] = (function(method, requestType, responseType) {
            return function rpcMethod(request, callback) {
                return rpc.Service.prototype.rpcCall.call(this, method, requestType, responseType, request, callback);
            };
        })(method, method.resolvedRequestType.ctor, method.resolvedResponseType.ctor);`;

const LAZY_METHOD = `        rpcService[methodName] = (function(method) {
            return function rpcMethod(request, callback) {
                return rpc.Service.prototype.rpcCall.call(this, method, method.resolvedRequestType.ctor, method.resolvedResponseType.ctor, request, callback);
            };
        })(method);`;

function replaceOnce(source, from, to, path) {
  if (source.split(from).length !== 2) throw new Error(`${path}: Service#create changed; update scripts/cli-bundle-protos.mjs`);
  return source.replace(from, to);
}
