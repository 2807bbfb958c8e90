// The workflow bundle's entry: every exported function is a workflow type.
export { batonRun } from './interpreter-workflow.js';
export { batonScheduled } from './scheduled-run.js';
export { batonNotify } from './notify-workflow.js';
export { batonStateQuery } from '../contract/run-messages.js';
