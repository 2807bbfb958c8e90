// setTimeout/clearTimeout and setInterval/clearInterval, written in plain JavaScript that runs
// INSIDE QuickJS before the script (see script-runtime-extras.ts). Each wait is one host timer
// (script-timers-host.ts: a durable workflow timer), so a ten-minute wait survives a worker or
// server restart. Callbacks run on the script's own job queue, with their arguments, as in Node.
//
// Evaluates to `function (host)`; it defines the four globals.
export const TIMERS_INSTALLER = String.raw`(function (host) {
  'use strict';
  var defineProperty = Object.defineProperty, stringify = JSON.stringify;
  // id -> { fn, args, ms, repeat }. An id is a number, as in browsers, so it is JSON-safe.
  var timers = new Map();
  var nextId = 1;
  // Node clamps an interval the same way: below 1 ms or above 2^31 - 1 ms it is 1 ms.
  var MAX_DELAY = 2147483647;

  function delayOf(ms) {
    var n = Number(ms);
    return n >= 1 && n <= MAX_DELAY ? Math.floor(n) : 0;
  }

  function stackOf(error) {
    try { return String(error && error.stack || ''); } catch (e) { return ''; }
  }

  // A throw in a callback ends the run with that error, as an uncaught exception ends Node.
  function failWith(error) {
    var described;
    try {
      described = error !== null && typeof error === 'object' && 'message' in error
        ? { name: String(error.name || 'Error'), message: String(error.message), stack: stackOf(error) }
        : { name: 'Error', message: 'a timer callback threw a non-Error value: ' + String(error), stack: '' };
    } catch (e) {
      described = { name: 'Error', message: 'a timer callback threw a value that cannot be described', stack: '' };
    }
    host.fail(stringify(described));
  }

  function arm(id, entry) {
    host.timerStart(id, entry.repeat ? Math.max(1, entry.ms) : entry.ms).then(function (state) {
      if (state === 'stopped') {
        host.fail(stringify({ name: 'RunStoppedError', message: 'The run was stopped while a timer waited.', stack: '' }));
        return;
      }
      if (timers.get(id) !== entry || state !== 'fired') return;
      if (entry.repeat) arm(id, entry);
      else timers.delete(id);
      try {
        entry.fn.apply(undefined, entry.args);
      } catch (error) {
        failWith(error);
      }
    });
  }

  function schedule(name, fn, ms, args, repeat) {
    if (typeof fn !== 'function') {
      throw new TypeError(name + '() takes a function as its first argument, got ' + (fn === null ? 'null' : typeof fn) +
        '. Example: ' + name + '(() => log(\'tick\'), 1000)');
    }
    var id = nextId++;
    var entry = { fn: fn, args: args, ms: delayOf(ms), repeat: repeat };
    timers.set(id, entry);
    arm(id, entry);
    return id;
  }

  // Clearing a timer that fired, was cleared, or never existed does nothing, as in Node.
  function clear(id) {
    if (typeof id !== 'number' || !timers.has(id)) return;
    timers.delete(id);
    host.timerClear(id);
  }

  var globals = {
    setTimeout: function setTimeout(fn, ms) { return schedule('setTimeout', fn, ms, Array.prototype.slice.call(arguments, 2), false); },
    setInterval: function setInterval(fn, ms) { return schedule('setInterval', fn, ms, Array.prototype.slice.call(arguments, 2), true); },
    clearTimeout: function clearTimeout(id) { clear(id); },
    clearInterval: function clearInterval(id) { clear(id); },
  };
  Object.keys(globals).forEach(function (name) {
    defineProperty(globalThis, name, { value: globals[name], writable: false, enumerable: false, configurable: false });
  });
})`;
