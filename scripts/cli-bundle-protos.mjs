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
// 3. protobufjs's Type#setup generates five functions for a message type at its first use
//    (encode, decode, verify, fromObject, toObject); each is generated at its own first call
//    instead, so a response that is only decoded costs one.
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
    build.onLoad({ filter: /[\\/]protobufjs[\\/]src[\\/]type\.js$/ }, ({ path }) => ({
      contents: replaceOnce(readFileSync(path, 'utf8'), EAGER_CODECS, LAZY_CODECS, path),
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

const EAGER_CODECS = `    // Replace setup methods with type-specific generated functions
    this.encode = encoder(this)({
        Writer : Writer,
        types  : types,
        util   : util
    });
    this.decode = decoder(this)({
        Reader : Reader,
        types  : types,
        util   : util,
        C      : this.ctor
    });
    this.verify = verifier(this)({
        types : types,
        util  : util
    });
    this.fromObject = converter.fromObject(this)({
        types : types,
        util  : util,
        C     : this.ctor
    });
    this.toObject = converter.toObject(this)({
        types : types,
        util  : util
    });

    // Inject custom wrappers for common types
    var wrapper = wrappers[fullName];
    if (wrapper) {
        var wrapperThis = Object.create(this);
        // Reuse this type's runtime constructor in wrapper fromObject/toObject
        wrapperThis._ctor = this.ctor;
        wrapperThis.fromObject = this.fromObject;
        this.fromObject = wrapper.fromObject.bind(wrapperThis);
        wrapperThis.toObject = this.toObject;
        this.toObject = wrapper.toObject.bind(wrapperThis);
    }
`;

// The same functions, each generated when first called; the object converters and their wrappers together.
const LAZY_CODECS = `    var self = this;
    this.encode = function encode_lazy() {
        self.encode = encoder(self)({ Writer: Writer, types: types, util: util });
        return self.encode.apply(self, arguments);
    };
    this.decode = function decode_lazy() {
        self.decode = decoder(self)({ Reader: Reader, types: types, util: util, C: self.ctor });
        return self.decode.apply(self, arguments);
    };
    this.verify = function verify_lazy() {
        self.verify = verifier(self)({ types: types, util: util });
        return self.verify.apply(self, arguments);
    };
    function converters() {
        self.fromObject = converter.fromObject(self)({ types: types, util: util, C: self.ctor });
        self.toObject = converter.toObject(self)({ types: types, util: util });
        var wrapper = wrappers[fullName];
        if (wrapper) {
            var wrapperThis = Object.create(self);
            wrapperThis._ctor = self.ctor;
            wrapperThis.fromObject = self.fromObject;
            self.fromObject = wrapper.fromObject.bind(wrapperThis);
            wrapperThis.toObject = self.toObject;
            self.toObject = wrapper.toObject.bind(wrapperThis);
        }
    }
    this.fromObject = function fromObject_lazy() {
        converters();
        return self.fromObject.apply(self, arguments);
    };
    this.toObject = function toObject_lazy() {
        converters();
        return self.toObject.apply(self, arguments);
    };
`;

function replaceOnce(source, from, to, path) {
  if (source.split(from).length !== 2) throw new Error(`${path}: Service#create changed; update scripts/cli-bundle-protos.mjs`);
  return source.replace(from, to);
}
