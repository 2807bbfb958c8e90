// @ts-check
// The script's globals, in plain JavaScript that runs INSIDE QuickJS before the script.
// parallel() and pipeline() live here because they only combine promises: keeping them in the
// isolate means no host object or host promise ever reaches the script. The host functions are
// reached through `host`, a closure variable the script cannot name.
//
// Embedded at build (scripts/embed-isolate-sources.mjs), since the workflow bundle cannot read
// files. Evaluates to `function (host, argsJson, claudeCode)` returning `start(main)`.

/** @typedef {import('./prelude-host.js').PreludeHost} PreludeHost */
/** @typedef {import('./prelude-host.js').HostAnswer} HostAnswer */
/** @typedef {new (message?: string) => Error} ErrorClass */

(/**
 * @param {PreludeHost} host
 * @param {string | undefined} argsJson the run's args as JSON, undefined when none
 * @param {boolean | undefined} claudeCode Claude Code's semantics (workflows/claude-code-semantics.ts):
 *   its error names and a pipeline() stage's null ending that item's chain; unset in runs recorded before them
 */
function (host, argsJson, claudeCode) {
  'use strict';
  /** Items allowed in one parallel()/pipeline() call (docs/script-language.md, Limits). */
  var MAX_ITEMS = 4096;
  var FORGOT_AWAIT = 'did you forget to await agent(), parallel(), or pipeline()?';
  var PARALLEL_FIX = 'parallel([() => agent(a), () => agent(b)])';
  // Captured before the script runs, so a script that replaces them cannot confuse Baton.
  var stringify = JSON.stringify, parse = JSON.parse, isArray = Array.isArray;
  var PromiseCtor = Promise, keys = Object.keys, defineProperty = Object.defineProperty, getPrototypeOf = Object.getPrototypeOf;

  class AgentLimitError extends Error {}
  class BudgetExhaustedError extends Error {}
  class RunStoppedError extends Error {}
  class WorkflowNotFoundError extends Error {}
  class StructuredOutputRetryError extends Error {}
  [AgentLimitError, BudgetExhaustedError, RunStoppedError, WorkflowNotFoundError, StructuredOutputRetryError].forEach(function (Ctor) {
    defineProperty(Ctor.prototype, 'name', { value: Ctor.name, writable: true, configurable: true });
  });
  if (claudeCode) {
    // Claude Code's names, which scripts test (e.name === 'WorkflowAgentCapError'); the classes
    // keep Baton's names, so `instanceof AgentLimitError` holds as well.
    defineProperty(AgentLimitError.prototype, 'name', { value: 'WorkflowAgentCapError', writable: true, configurable: true });
    defineProperty(BudgetExhaustedError.prototype, 'name', { value: 'WorkflowBudgetExceededError', writable: true, configurable: true });
  }
  /** @type {Record<string, ErrorClass>} */
  var errorClasses = {
    AgentLimitError: AgentLimitError, BudgetExhaustedError: BudgetExhaustedError,
    RunStoppedError: RunStoppedError, WorkflowNotFoundError: WorkflowNotFoundError,
    StructuredOutputRetryError: StructuredOutputRetryError,
    TypeError: TypeError, RangeError: RangeError, Error: Error,
  };

  /** @param {{ name: string, message: string }} info */
  function makeError(info) {
    var known = Object.prototype.hasOwnProperty.call(errorClasses, info.name);
    var error = new (known ? errorClasses[info.name] : Error)(info.message);
    if (!known) error.name = info.name;
    return error;
  }

  /**
   * A host call's answer: its value, or its error thrown with the stack of the script's call.
   * @param {HostAnswer} answer
   * @param {Error} callSite captured where the script made the call
   * @returns {any}
   */
  function settle(answer, callSite) {
    /** @type {import('./prelude-host.js').HostOutcome} */
    var outcome = parse(answer);
    if (outcome.ok) return outcome.value;
    var error = makeError(outcome.error);
    defineProperty(error, 'stack', { value: callSite.stack, writable: true, configurable: true });
    throw error;
  }

  /** @param {unknown} value */
  function describeType(value) {
    if (value === null) return 'null';
    if (isArray(value)) return 'an array';
    if (isPromiseLike(value)) return 'a Promise';
    return typeof value === 'object' ? 'an object' : 'a ' + typeof value;
  }

  /** @param {any} value */
  function isPromiseLike(value) {
    if (value instanceof PromiseCtor) return true;
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
    try { return typeof value.then === 'function'; } catch (e) { return false; }
  }

  /**
   * @param {string} base
   * @param {string | number} key
   */
  function pathOf(base, key) {
    if (typeof key === 'number') return base + '[' + key + ']';
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? base + '.' + key : base + '[' + stringify(key) + ']';
  }

  /**
   * The path of the first Promise inside value, or null. Cycles are left to JSON.stringify.
   * @param {unknown} value
   * @param {string} path
   * @param {Set<unknown>} seen
   */
  function findPromise(value, path, seen) {
    return findValue(value, path, seen, isPromiseLike);
  }

  /**
   * The path of the first value inside `value` that `matches`, or null. Looking for functions,
   * an object with a toJSON method says how it serialises, so what it holds is not looked into.
   * @param {any} value
   * @param {string} path
   * @param {Set<unknown>} seen
   * @param {(value: unknown) => boolean} matches
   * @returns {string | null}
   */
  function findValue(value, path, seen, matches) {
    if (matches(value)) return path;
    if (value === null || typeof value !== 'object' || seen.has(value)) return null;
    seen.add(value);
    if (isArray(value)) {
      for (var i = 0; i < value.length; i++) {
        var inItem = findValue(value[i], pathOf(path, i), seen, matches);
        if (inItem) return inItem;
      }
      return null;
    }
    if (matches === isFunction && typeof value.toJSON === 'function') return null;
    var names = keys(value);
    for (var j = 0; j < names.length; j++) {
      var inField = findValue(value[names[j]], pathOf(path, names[j]), seen, matches);
      if (inField) return inField;
    }
    return null;
  }

  /** @param {unknown} value */
  function isFunction(value) {
    return typeof value === 'function';
  }

  /**
   * JSON text of value; a Promise inside is almost always a forgotten await, so say where.
   * @param {unknown} value
   * @param {string} root what the value is called in the message
   * @param {string} context the message's prefix
   * @returns {string | undefined}
   */
  function toJson(value, root, context) {
    var at = findPromise(value, root, new Set());
    if (at !== null) throw new TypeError(context + at + ' is a Promise: ' + FORGOT_AWAIT);
    return stringify(value);
  }

  /**
   * An error of a script's own class is created inside its constructor, so its stack starts at
   * the super() call; the frames of the class and its ancestors are dropped, so the stack (and
   * the line the run reports) starts where the script threw it.
   * @param {any} error
   */
  function stackFromThrow(error) {
    var lines = String(error.stack || '').split('\n');
    /** @type {string[]} */
    var classes = [];
    for (var proto = getPrototypeOf(error); proto !== null && proto !== Object.prototype; proto = getPrototypeOf(proto)) {
      var ctor = proto.constructor;
      if (typeof ctor === 'function' && ctor.name) classes.push('at ' + ctor.name + ' (');
    }
    while (lines.length > 1 && classes.some(function (frame) { return lines[0].trim().indexOf(frame) === 0; })) lines.shift();
    return lines.join('\n');
  }

  /**
   * `{ name, message, stack }` as JSON, whatever was thrown.
   * @param {any} error
   * @returns {string}
   */
  function describeError(error) {
    try {
      if (error !== null && typeof error === 'object' && 'message' in error) {
        return stringify({ name: String(error.name || 'Error'), message: String(error.message), stack: stackFromThrow(error) });
      }
      var shown;
      try { shown = stringify(error); } catch (e) { shown = undefined; }
      return stringify({ name: 'Error', message: 'the script threw a non-Error value: ' + (shown === undefined ? String(error) : shown), stack: '' });
    } catch (e) {
      return '{"name":"Error","message":"the script threw a value that cannot be described","stack":""}';
    }
  }

  /**
   * @param {string} call
   * @param {number} count
   * @param {string} what
   */
  function checkCount(call, count, what) {
    if (count > MAX_ITEMS) {
      throw new RangeError(call + ' got ' + count + ' ' + what + '; the limit is ' + MAX_ITEMS +
        ' per call. Split the work into batches of at most ' + MAX_ITEMS + '.');
    }
  }

  /**
   * A throw that parallel() or pipeline() turns into null leaves a trace: the host logs which
   * call, which item, which error and the script's line. The same number of promise steps as a
   * plain `return null`, so agents start in the order they always did.
   * @param {string} call
   * @param {number} index
   */
  function nulledBy(call, index) {
    return function (/** @type {unknown} */ error) {
      try { host.nulled(call, index, describeError(error)); } catch (e) { /* the trace is a courtesy; null is the contract */ }
      return null;
    };
  }
  /** @param {unknown} value */
  function identity(value) { return value; }

  /**
   * @param {unknown} prompt
   * @param {unknown} [opts]
   */
  function agent(prompt, opts) {
    return callAgent(prompt, opts, undefined);
  }

  /**
   * @param {unknown} prompt
   * @param {any} opts
   * @param {number | undefined} nestedId which nested workflow's script made the call (see workflow() below)
   * @returns {Promise<any>}
   */
  function callAgent(prompt, opts, nestedId) {
    try {
      if (typeof prompt !== 'string') {
        throw new TypeError('agent() takes a prompt string as its first argument, got ' + describeType(prompt) + '.');
      }
      var optsJson = '{}';
      if (opts !== undefined && opts !== null) {
        if (typeof opts !== 'object' || isArray(opts)) {
          throw new TypeError('agent() options must be an object, got ' + describeType(opts) + '.');
        }
        keys(opts).forEach(function (key) {
          if (typeof opts[key] === 'function') throw new TypeError('agent() option "' + key + '" is a function; options are data.');
        });
        optsJson = /** @type {string} */ (toJson(opts, 'options', 'agent(): '));
      }
      // Captured now: an error that arrives later should point at the agent() call in the script.
      var callSite = new Error();
      return host.agent(prompt, optsJson, nestedId).then(function (answer) { return settle(answer, callSite); });
    } catch (error) {
      return PromiseCtor.reject(error);
    }
  }

  /**
   * @param {any} nameOrRef
   * @param {unknown} [childArgs]
   * @returns {Promise<unknown>}
   */
  function workflow(nameOrRef, childArgs) {
    try {
      var ref;
      if (typeof nameOrRef === 'string' && nameOrRef.trim() !== '') {
        ref = { name: nameOrRef };
      } else if (nameOrRef !== null && typeof nameOrRef === 'object' && !isArray(nameOrRef) &&
          typeof nameOrRef.scriptPath === 'string' && nameOrRef.scriptPath.trim() !== '') {
        ref = { scriptPath: nameOrRef.scriptPath };
      } else {
        throw new TypeError("workflow() takes a saved workflow's name or { scriptPath }, got " + describeType(nameOrRef) +
          ". Example: workflow('review-changes', { base: 'main' })");
      }
      // As data, like --args: the nested script gets its own copy.
      var childJson = childArgs === undefined ? undefined : toJson(childArgs, 'args', 'workflow(): ');
      var callSite = new Error();
      return host.workflow(stringify(ref)).then(function (answer) {
        /** @type {{ id: number, name: string }} */
        var loaded = settle(answer, callSite);
        var id = loaded.id;
        var bind = host.nestedProgram(id);
        var main = bind(childJson === undefined ? undefined : parse(childJson), secondLevel(loaded.name),
          function agent(prompt, opts) { return callAgent(prompt, opts, id); });
        return main();
      });
    } catch (error) {
      return PromiseCtor.reject(error);
    }
  }

  /**
   * The workflow() a nested workflow sees: nesting is one level deep.
   * @param {string} parentName
   */
  function secondLevel(parentName) {
    return function workflow(/** @type {unknown} */ nameOrRef) {
      var inner = typeof nameOrRef === 'string' ? stringify(nameOrRef) : describeType(nameOrRef);
      return PromiseCtor.reject(new Error('workflow() runs one level deep: ' + stringify(parentName) +
        ' was started by workflow(), so it cannot start ' + inner + '. Call both from the top-level script instead.'));
    };
  }

  /**
   * approve(message, { timeout, default }): the run waits for a person (baton approve RUN [--reject]).
   * @param {unknown} message
   * @param {unknown} [opts]
   * @returns {Promise<boolean>}
   */
  function approve(message, opts) {
    try {
      if (typeof message !== 'string' || message.trim() === '') {
        throw new TypeError('approve() takes a message string saying what a person approves, got ' + describeType(message) +
          ". Example: approve('Push the fixes to main?', { timeout: '12h', default: false })");
      }
      if (opts !== undefined && opts !== null && (typeof opts !== 'object' || isArray(opts))) {
        throw new TypeError("approve() options must be an object like { timeout: '12h', default: false }, got " + describeType(opts) + '.');
      }
      var optsJson = /** @type {string} */ (opts === undefined || opts === null ? '{}' : toJson(opts, 'options', 'approve(): '));
      var callSite = new Error();
      return host.approve(message, optsJson).then(function (answer) { return settle(answer, callSite); });
    } catch (error) {
      return PromiseCtor.reject(error);
    }
  }

  /** @param {unknown} thunks */
  function parallel(thunks) {
    if (!isArray(thunks)) {
      throw new TypeError('parallel() takes an array of functions, got ' + describeType(thunks) + '. Example: ' + PARALLEL_FIX);
    }
    checkCount('parallel()', thunks.length, 'functions');
    for (var i = 0; i < thunks.length; i++) {
      if (typeof thunks[i] !== 'function') {
        var promise = isPromiseLike(thunks[i]);
        throw new TypeError('parallel() takes an array of functions, but item ' + i + ' is ' + describeType(thunks[i]) +
          (promise ? ' (an agent() call starts at once, so parallel() cannot run it). ' : '. ') +
          'Wrap each call in a function: ' + PARALLEL_FIX);
      }
    }
    // Each thunk starts now, in order; a throw or a rejection becomes null, never a rejection.
    return PromiseCtor.all(thunks.map(function (thunk, index) {
      return new PromiseCtor(function (resolve) { resolve(thunk()); }).then(identity, nulledBy('parallel()', index));
    }));
  }

  /** @param {unknown} items the stages follow as further arguments */
  function pipeline(items) {
    /** @type {unknown[]} */
    var stages = Array.prototype.slice.call(arguments, 1);
    if (!isArray(items)) {
      throw new TypeError('pipeline() takes an array of items first, got ' + describeType(items) +
        '. Example: pipeline(files, (file) => agent(\'Review \' + file), (review) => agent(\'Verify: \' + review))');
    }
    checkCount('pipeline()', items.length, 'items');
    stages.forEach(function (stage, i) {
      if (typeof stage !== 'function') {
        throw new TypeError('pipeline() stage ' + (i + 1) + ' is ' + describeType(stage) + '; each stage is a function (prevResult, item, index) => ...');
      }
    });
    // No barrier: every item runs down its own promise chain. A throw skips the item's later
    // stages (the chain carries the rejection past them) and then becomes null. As on Claude
    // Code, a stage's null ends the chain too: the later stages pass the null on, one promise
    // step each as before, so agents start in the order they always did.
    return PromiseCtor.all(items.map(function (item, index) {
      var chain = PromiseCtor.resolve(item);
      stages.forEach(function (stage, stageIndex) {
        chain = chain.then(function (previous) {
          if (claudeCode && stageIndex > 0 && previous === null) return null;
          return /** @type {Function} */ (stage)(previous, item, index);
        });
      });
      return chain.then(identity, nulledBy('pipeline()', index));
    }));
  }

  /** @param {unknown} title */
  function phase(title) {
    if (typeof title !== 'string' || title.trim() === '') {
      throw new TypeError('phase() takes a title string, e.g. phase(\'Review\'), got ' + describeType(title) + '.');
    }
    host.phase(title);
  }

  /** @param {unknown} message */
  function log(message) {
    var line = typeof message === 'string' ? message : toJson(message, 'message', 'log(): ');
    host.log(line === undefined ? String(message) : line);
  }

  // score(name, value, { note }) (docs/scores.md): checked here, so a bad value throws at the script's line.
  var finite = Number.isFinite, SCORE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
  /**
   * @param {unknown} name
   * @param {unknown} value
   * @param {unknown} [opts]
   */
  function score(name, value, opts) {
    if (typeof name !== 'string' || !SCORE_NAME.test(name)) {
      throw new TypeError("score() takes a name of letters, digits, '-', '_' or '.' first, got " + (typeof name === 'string' ? stringify(name) : describeType(name)) + ". Example: score('confirmed', 3)");
    }
    if (typeof value !== 'boolean' && !(typeof value === 'number' && finite(value))) {
      throw new TypeError('score(' + stringify(name) + ', value) takes a finite number or a boolean, got ' + (typeof value === 'number' ? String(value) : describeType(value)) + '.');
    }
    var note = opts !== undefined && opts !== null && typeof opts === 'object' ? /** @type {{ note?: unknown }} */ (opts).note : undefined;
    if (note !== undefined && note !== null && typeof note !== 'string') throw new TypeError('score() option note must be a string, got ' + describeType(note) + '.');
    var refused = host.score(name, value, typeof note === 'string' ? note : null);
    if (typeof refused === 'string') throw new RangeError('score(' + stringify(name) + '): ' + refused + '.');
  }

  // console.log/info/warn/error: model-written scripts call them, so each is a log() line, its
  // arguments joined by spaces as Node prints them: strings as they are, errors as
  // `Name: message`, the rest as JSON.
  function consoleLine() {
    var parts = Array.prototype.map.call(arguments, function (/** @type {unknown} */ value, /** @type {number} */ i) {
      if (typeof value === 'string') return value;
      if (value instanceof Error) return String(value.name || 'Error') + ': ' + String(value.message);
      var json = toJson(value, 'argument ' + (i + 1), 'console.log(): ');
      return json === undefined ? String(value) : json;
    });
    host.log(parts.join(' '));
  }
  var scriptConsole = Object.freeze({ log: consoleLine, info: consoleLine, warn: consoleLine, error: consoleLine, debug: consoleLine });

  // total follows baton budget, which may raise the ceiling while the run goes on.
  // A host null arrives as undefined.
  function budgetTotal() {
    var total = host.budgetTotal();
    return total === undefined || total === null ? null : total;
  }
  var budget = Object.freeze({
    get total() { return budgetTotal(); },
    spent: function spent() { return host.spent(); },
    remaining: function remaining() {
      var total = budgetTotal();
      return total === null ? Infinity : Math.max(0, total - host.spent());
    },
  });

  /** @type {Record<string, unknown>} */
  var globals = {
    agent: agent, parallel: parallel, pipeline: pipeline, phase: phase, log: log, budget: budget, workflow: workflow, approve: approve, score: score,
    console: scriptConsole,
    args: argsJson === undefined ? undefined : parse(argsJson),
    AgentLimitError: AgentLimitError, BudgetExhaustedError: BudgetExhaustedError,
    RunStoppedError: RunStoppedError, WorkflowNotFoundError: WorkflowNotFoundError,
  };
  if (claudeCode) globals.StructuredOutputRetryError = StructuredOutputRetryError;
  keys(globals).forEach(function (name) {
    defineProperty(globalThis, name, { value: globals[name], writable: false, enumerable: false, configurable: false });
  });

  /**
   * Runs the script's async function; reports its JSON result or its error exactly once.
   * @param {() => unknown} main
   */
  return function start(main) {
    var finished = false;
    /** @param {unknown} value */
    function succeed(value) {
      if (finished) return;
      finished = true;
      var json;
      try {
        // JSON would drop a function without a word (or make it null in an array): say where it is.
        var fn = findValue(value, 'result', new Set(), isFunction);
        if (fn !== null) throw new TypeError(fn + ' is a function, and a result must be JSON: return data (call the function first, or leave it out).');
        json = toJson(value, 'result', '');
      } catch (error) { host.fail(describeError(error)); return; }
      host.done(json);
    }
    /** @param {unknown} error */
    function failed(error) {
      if (finished) return;
      finished = true;
      host.fail(describeError(error));
    }
    new PromiseCtor(function (resolve) { resolve(main()); }).then(succeed, failed);
  };
})
