// Steering a run by its workflow id, from any machine that reaches Temporal (docs/runs.md#steering-and-watching). Each
// call is a workflow update: the run's validator refuses what cannot apply, and the answer says
// what changed.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { SteeringAnswer } from '../contract/run-types.js';
import {
  pauseRunUpdate,
  raiseBudgetUpdate,
  restartAgentUpdate,
  resumeRunUpdate,
  stopAgentUpdate,
  stopRunUpdate,
  type BudgetRaise,
} from '../contract/run-messages.js';

/** Thrown when the run refused a steering request, or cannot receive one (unknown, or ended). */
export class SteeringRefused extends Error {
  override name = 'SteeringRefused';
}

export type RunSteer = 'pause' | 'resume' | 'stop';
export type AgentSteer = 'stop' | 'restart';

const RUN_UPDATES = { pause: pauseRunUpdate, resume: resumeRunUpdate, stop: stopRunUpdate } as const;
const AGENT_UPDATES = { stop: stopAgentUpdate, restart: restartAgentUpdate } as const;

export async function steerRun(client: Client, workflowId: string, action: RunSteer): Promise<SteeringAnswer> {
  return refusalsExplained(workflowId, () => client.workflow.getHandle(workflowId).executeUpdate(RUN_UPDATES[action]));
}

export async function steerAgent(client: Client, workflowId: string, agentId: string, action: AgentSteer): Promise<SteeringAnswer> {
  return refusalsExplained(workflowId, () => client.workflow.getHandle(workflowId).executeUpdate(AGENT_UPDATES[action], { args: [agentId] }));
}

/** `baton budget`: new ceilings for a running or paused run; one held at a ceiling goes on once below them. */
export async function raiseBudget(client: Client, workflowId: string, raise: BudgetRaise): Promise<SteeringAnswer> {
  return refusalsExplained(workflowId, () => client.workflow.getHandle(workflowId).executeUpdate(raiseBudgetUpdate, { args: [raise] }));
}

/** Sends one update; a refusal, an unknown or an ended run becomes a SteeringRefused saying what to do. */
export async function refusalsExplained(workflowId: string, send: () => Promise<SteeringAnswer>): Promise<SteeringAnswer> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new SteeringRefused(`${workflowId}: refused: ${error.cause?.message ?? error.message}`);
    }
    if (error instanceof WorkflowNotFoundError || isClosedRunError(error)) {
      throw new SteeringRefused(`${workflowId}: no running run with this id (it may have ended; see 'baton status ${workflowId}').`);
    }
    throw error;
  }
}

// An update sent to a closed workflow fails with gRPC NOT_FOUND "workflow execution already completed".
function isClosedRunError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /already completed|not found/i.test(message);
}
