// The compiler: script file → CompiledScript (see contract/run-types.ts).
export { compileScript, compileScriptFile, assertCompiled, type CompileResult } from './compile-script.js';
export { CompileError, formatDiagnostic, formatWarning, type Diagnostic } from './diagnostics.js';
export { metaSchema } from './meta-schema.js';
