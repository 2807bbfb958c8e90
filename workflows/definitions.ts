// Query, signal and update definitions of the interpreter workflow. Clients import this file,
// so it holds definitions only: no workflow runtime side effects.
import { defineQuery } from '@temporalio/workflow';
import type { RunReport } from '../contract/run-types.js';

/** The live RunReport of a run: status 'running' until the script ends. */
export const batonStateQuery = defineQuery<RunReport>('batonState');
