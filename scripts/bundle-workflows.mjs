// Prebuilds the interpreter's workflow bundle (dist/workflows/bundle.js), so workers start
// without running webpack. Runs after `tsc -p tsconfig.build.json`, from the compiled sources.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PREBUILT_BUNDLE_PATH, PREBUILT_TRACED_BUNDLE_PATH, workflowBundlerOptions, workflowsPath } from '../dist/workers/workflow-bundle.js';
import { tracingWorkflowInterceptorModules } from '../dist/workers/tracing.js';

// The second bundle adds the OpenTelemetry workflow interceptors, for `baton worker --otel`.
for (const [path, workflowInterceptorModules] of [[PREBUILT_BUNDLE_PATH, []], [PREBUILT_TRACED_BUNDLE_PATH, tracingWorkflowInterceptorModules()]]) {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules, ...workflowBundlerOptions() });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
  console.log(`wrote ${path} (${(code.length / 1024 / 1024).toFixed(1)} MB)`);
}
