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
// 4. protobufjs's Type.fromJSON makes every field and oneof of a message type when the
//    definitions load (718 message types); they are made when the type's fields are first read
//    (a message of the type is made, encoded or decoded), so a command pays for the types its
//    calls carry. Made late, their edition features are resolved then, as the root's pass would.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Namespaces (dotted paths from the root) that no Baton client calls. */
export const UNUSED_NAMESPACES = ['coresdk', 'temporal.api.cloud', 'grpc.gateway'];

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
    build.onLoad({ filter: /[\\/]protobufjs[\\/]src[\\/]type\.js$/ }, ({ path }) => {
      let source = replaceOnce(readFileSync(path, 'utf8'), EAGER_CODECS, LAZY_CODECS, path);
      source = replaceOnce(source, EAGER_FIELDS, LAZY_FIELDS, path);
      source = replaceOnce(source, FROM_JSON_END, FROM_JSON_END_DEFERRING, path);
      source = replaceOnce(source, FEATURES_OF_FIELDS, FEATURES_OF_MADE_FIELDS, path);
      source = replaceOnce(source, GET_MEMBER, GET_MEMBER_UNMADE, path);
      source = replaceOnce(source, FIELDS_BY_ID, FIELDS_BY_ID_MADE_FIRST, path);
      return { contents: source, loader: 'js' };
    });
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

const EAGER_FIELDS = `    var names = Object.keys(json.fields),
        i = 0;
    for (; i < names.length; ++i)
        type.add(
            ( typeof json.fields[names[i]].keyType !== "undefined"
            ? MapField.fromJSON
            : Field.fromJSON )(names[i], json.fields[names[i]])
        );
    if (json.oneofs)
        for (names = Object.keys(json.oneofs), i = 0; i < names.length; ++i)
            type.add(OneOf.fromJSON(names[i], json.oneofs[names[i]]));
`;

// Nested types are still added at once (lookups find them by name); fields and oneofs later.
const LAZY_FIELDS = `    var names, i;
`;

const FROM_JSON_END = `    type._defaultEdition = "proto3";  // For backwards-compatibility.
    return type;
};
`;

// deferFields's make() runs Type.fromJSON's own field and oneof loop (EAGER_FIELDS), later.
const FROM_JSON_END_DEFERRING = `    type._defaultEdition = "proto3";  // For backwards-compatibility.
    deferFields(type, json);
    return type;
};

// Every read of type.fields or type.oneofs (get, add, fieldsArray, fieldsById, toJSON, the
// generated constructor and codecs) makes them first.
function deferFields(type, json) {
    if (Object.keys(json.fields).length === 0 && !json.oneofs)
        return;
    type._fieldsJson = json;
    function make() {
        Object.defineProperty(type, "fields", { value: {}, writable: true, enumerable: true, configurable: true });
        Object.defineProperty(type, "oneofs", { value: undefined, writable: true, enumerable: true, configurable: true });
        type._fieldsJson = null;
${EAGER_FIELDS.replace(/^/gm, '    ').trimEnd()}
        // Made after the root resolved the type's features: resolve theirs as it would have, with
        // the edition its pass hands down (the nearest one set: a nested type has none of its own).
        if (type._featuresResolved) {
            var edition = null;
            for (var scope = type; !edition && scope; scope = scope.parent)
                edition = scope._edition;
            type.oneofsArray.forEach(function(oneof) { oneof._resolveFeatures(edition); });
            type.fieldsArray.forEach(function(field) { field._resolveFeatures(edition); });
        }
    }
    ["fields", "oneofs"].forEach(function(property) {
        Object.defineProperty(type, property, {
            get: function() { make(); return type[property]; },
            set: function(value) { make(); type[property] = value; },
            enumerable: true,
            configurable: true
        });
    });
}
`;

const FEATURES_OF_FIELDS = `    Namespace.prototype._resolveFeaturesRecursive.call(this, edition);
    this.oneofsArray.forEach(oneof => {`;

const FEATURES_OF_MADE_FIELDS = `    Namespace.prototype._resolveFeaturesRecursive.call(this, edition);
    if (this._fieldsJson)
        return this; // deferFields resolves them when it makes them
    this.oneofsArray.forEach(oneof => {`;

const GET_MEMBER = `Type.prototype.get = function get(name) {
`;

// A lookup that misses in a namespace asks every type below it for the name (Namespace#_lookupImpl):
// a name that is none of a type's fields or oneofs is answered without making them.
const GET_MEMBER_UNMADE = `Type.prototype.get = function get(name) {
    var unmade = this._fieldsJson;
    if (unmade && !Object.prototype.hasOwnProperty.call(unmade.fields, name) && !(unmade.oneofs && Object.prototype.hasOwnProperty.call(unmade.oneofs, name)))
        return this.nested && Object.prototype.hasOwnProperty.call(this.nested, name) ? this.nested[name] : null;
`;

const FIELDS_BY_ID = `            this._fieldsById = {};
            for (var names = Object.keys(this.fields), i = 0; i < names.length; ++i) {`;

// Making deferred fields adds them, and each add clears this cache: make them before filling it.
const FIELDS_BY_ID_MADE_FIRST = `            var fields = this.fields;
            this._fieldsById = {};
            for (var names = Object.keys(fields), i = 0; i < names.length; ++i) {`;

function replaceOnce(source, from, to, path) {
  if (source.split(from).length !== 2) throw new Error(`${path}: the protobufjs source this plugin rewrites changed; update scripts/cli-bundle-protos.mjs`);
  return source.replace(from, to);
}
