// Prebuilds the interpreter's workflow bundle (dist/workflows/bundle.js), so workers start
// without running webpack. Runs after `tsc -p tsconfig.build.json`, from the compiled sources.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PREBUILT_BUNDLE_PATH, PREBUILT_TRACED_BUNDLE_PATH, workflowBundlerOptions, workflowsPath } from '../dist/workers/workflow-bundle.js';
import { tracingWorkflowInterceptorModules } from '../dist/workers/tracing.js';

// The second bundle adds the OpenTelemetry workflow interceptors, for `baton worker --otel`.
for (const [path, workflowInterceptorModules] of [
  [PREBUILT_BUNDLE_PATH, []],
  [PREBUILT_TRACED_BUNDLE_PATH, tracingWorkflowInterceptorModules()],
]) {
  const bundled = await bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules, ...workflowBundlerOptions() });
  const code = oneByteCharacters(withoutSourcesContent(bundled.code));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  console.log(`wrote ${path} (${(code.length / 1024 / 1024).toFixed(1)} MB)`);
}

// A worker holds the bundle's source twice (its main thread and the workflow thread), so what the
// source costs counts twice. V8 keeps a string with any character above U+00FF at two bytes per
// character: a dozen `→` and `…` in comments and messages would double the 4 MB bundle. As
// escapes they mean the same in strings, templates and comments alike.
function oneByteCharacters(code) {
  return code.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Stack traces map positions through the source map's mappings only; the sources' text in it
// (1.5 MB) serves the SDK's `showStackTraceSources`, which Baton leaves off.
function withoutSourcesContent(code) {
  const marker = '//# sourceMappingURL=data:application/json;charset=utf-8;base64,';
  const at = code.lastIndexOf(marker);
  if (at < 0) return code;
  const map = JSON.parse(Buffer.from(code.slice(at + marker.length).trim(), 'base64').toString('utf8'));
  delete map.sourcesContent;
  return code.slice(0, at) + marker + Buffer.from(JSON.stringify(map)).toString('base64');
}
