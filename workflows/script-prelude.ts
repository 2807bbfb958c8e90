// The script's globals: plain JavaScript that runs INSIDE QuickJS before the script, written in
// quickjs/script-prelude.js and embedded at build (scripts/embed-isolate-sources.mjs).
// Evaluates to `function (host, argsJson)` returning `start(main)`.
export { SOURCE as SCRIPT_PRELUDE } from './quickjs/script-prelude.generated.js';
