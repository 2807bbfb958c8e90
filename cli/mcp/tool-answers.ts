// The structured answer of each `baton mcp` tool, as one zod schema: the tool builds its answer by
// parsing with it (cli/mcp/tool-result.ts) and declares it as its outputSchema, so a client that
// validates structured content, as the MCP specification asks, always finds them in agreement.
import { z } from 'zod';
import type { RunListing } from '../../client/list-runs.js';
import { runStatus, runSummaryWithAgents, scriptError } from './run-report-schema.js';

export const runAnswer = z.object({
  workflowId: z.string().describe('The run: give it to baton_status, baton_result, baton_stop and baton_approve.'),
  runId: z.string().describe("Temporal's run id of the same run."),
  status: z.literal('running'),
  card: z.string().describe('The approval card: what will run, where, with which model and limits.'),
  warnings: z.array(z.string()),
  uiUrl: z.string().nullable().describe("The run in Temporal's UI, when one is known."),
});

/** `baton status --json` with every agent (`agentList`) and the newest log lines (`logs`). */
export const statusAnswer = runSummaryWithAgents;

export const resultAnswer = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: runStatus,
  result: z.unknown().describe('What the script returned (any JSON value); null until the run has ended.'),
  error: scriptError.nullable(),
});

/** What baton_stop and baton_approve answer: the run's status after the change, in one line too. */
export const steerAnswer = z.object({ workflowId: z.string(), status: runStatus, message: z.string() });

const runListing = z.object({
  workflowId: z.string(),
  runId: z.string(),
  name: z.string(),
  status: z.string().describe("Baton's status; for a run ended from outside Baton (terminated, timed out), Temporal's."),
  phase: z.string().nullable(),
  agents: z.number(),
  tokens: z.number(),
  costUsd: z.number(),
  startTime: z.string().describe('ISO 8601'),
  closeTime: z.string().nullable(),
  scores: z.record(z.string(), z.number()).describe("The run's scores by name (docs/scores.md)."),
});

export const listAnswer = z.object({ runs: z.array(runListing) });

// Compile-time: a field added to RunListing must be added above.
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
      ? true
      : false
    : false
  : false;
export const LISTING_MATCHES_TYPE: Same<z.output<typeof runListing>, RunListing> = true;
