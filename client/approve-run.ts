// `baton approve RUN [--reject]` (docs/runs.md#approvals): answers the oldest approve() call the run waits at,
// by workflow id from any machine. An update, so the run refuses an answer nobody asked for and
// says which call the answer went to. The answer records who gave it, for `baton report`.
import { hostname, userInfo } from 'node:os';
import type { Client } from '@temporalio/client';
import type { SteeringAnswer } from '../contract/run-types.js';
import { approveRunUpdate } from '../contract/run-messages.js';
import { refusalsExplained } from './steer-run.js';

/** `user@host` of whoever runs this process: what the report names as the one who answered. */
export function approverIdentity(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host still says where the answer came from.
  }
  return `${user}@${hostname()}`;
}

/** Answers the first waiting approval; with `id`, only if that one is still first in line. */
export async function answerApproval(client: Client, workflowId: string, approve: boolean, id?: string): Promise<SteeringAnswer> {
  const reply = { approve, by: approverIdentity(), ...(id !== undefined ? { id } : {}) };
  return refusalsExplained(workflowId, () => client.workflow.getHandle(workflowId).executeUpdate(approveRunUpdate, { args: [reply] }));
}
