// Prebuilds the interpreter's workflow bundle (dist/workflows/bundle.js), so workers start
// without running webpack. Runs after `tsc -p tsconfig.build.json`, from the compiled sources.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PREBUILT_BUNDLE_PATH, workflowBundlerOptions, workflowsPath } from '../dist/workers/workflow-bundle.js';

const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), ...workflowBundlerOptions() });
mkdirSync(dirname(PREBUILT_BUNDLE_PATH), { recursive: true });
writeFileSync(PREBUILT_BUNDLE_PATH, code);
console.log(`wrote ${PREBUILT_BUNDLE_PATH} (${(code.length / 1024 / 1024).toFixed(1)} MB)`);
