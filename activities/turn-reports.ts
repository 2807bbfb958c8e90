// Turn reports (docs/runs.md#budgets: spend is checked after every model turn of every agent): after each turn an
// agent tells its run what the turn cost and did, and waits for the run's answer before its next
// model call. One update per run is in flight from a worker at a time; turns of that run's agents
// that end meanwhile ride in the next one, so a busy run costs a bounded number of history events
// however many agents a worker holds (docs/design.md#turn-reports-are-updates).
// It fails closed: while the run cannot be reached (its server away, updates failing), the agent
// waits for the answer, however long, rather than spend unchecked; only the activity's own
// timeouts and cancellation end the wait (docs/security.md, "Turn reports").
import { randomUUID } from 'node:crypto';
import { log } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { AGENT_TURNS_UPDATE, type TurnReport, type TurnVerdict } from '../contract/run-types.js';
import { ensureError } from './agent-errors.js';

/** A verdict, and whether the run counted the report (else its usage travels in the outcome). */
export interface TurnAnswer extends TurnVerdict {
  counted: boolean;
}

/** Between resends; the last repeats for as long as the run stays unreachable. */
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];

interface Waiting {
  report: TurnReport;
  resolve: (answer: TurnAnswer) => void;
  /** The agent's cancellation: once every agent of a batch has it, the batch stops being resent. */
  signal?: AbortSignal;
}

export interface TurnReportsOptions {
  retryDelaysMs?: readonly number[];
  /** Told once per agent when it starts waiting for an unreachable run (the activity's logger by default). */
  warn?: (message: string, attributes: Record<string, unknown>) => void;
}

/** One per worker: batches the turn reports of its agents, per run. */
export class TurnReports {
  private readonly queues = new Map<string, Waiting[]>();
  private readonly sending = new Set<string>();
  private readonly retryDelaysMs: readonly number[];
  private readonly warn: NonNullable<TurnReportsOptions['warn']>;

  constructor(options: TurnReportsOptions = {}) {
    this.retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    // The logger of the activity whose turn started this batch.
    this.warn = options.warn ?? ((message, attributes) => log.warn(message, attributes));
  }

  /**
   * Resolves with the run's verdict on this agent's next turn; never rejects. While the run cannot
   * be reached it does not resolve (the agent waits); `signal` lets a cancelled agent's report go.
   */
  report(client: Client, workflowId: string, report: TurnReport, signal?: AbortSignal): Promise<TurnAnswer> {
    return new Promise((resolve) => {
      const queue = this.queues.get(workflowId) ?? [];
      queue.push({ report, resolve, ...(signal ? { signal } : {}) });
      this.queues.set(workflowId, queue);
      if (!this.sending.has(workflowId)) void this.drain(client, workflowId);
    });
  }

  private async drain(client: Client, workflowId: string): Promise<void> {
    this.sending.add(workflowId);
    try {
      for (;;) {
        const batch = this.queues.get(workflowId) ?? [];
        this.queues.delete(workflowId);
        if (batch.length === 0) return;
        const answers = await this.send(client, workflowId, batch);
        batch.forEach((waiting, i) => waiting.resolve(answers[i]!));
      }
    } finally {
      this.sending.delete(workflowId);
    }
  }

  /** One update; a resend after a lost answer reuses its id, so the run counts the batch once. */
  private async send(client: Client, workflowId: string, batch: Waiting[]): Promise<TurnAnswer[]> {
    const reports = batch.map((w) => w.report);
    const updateId = `turns-${randomUUID()}`;
    let warned = false;
    const all = (answer: Omit<TurnAnswer, 'agentId'>) => reports.map((r) => ({ agentId: r.agentId, ...answer }));
    for (let attempt = 0; ; attempt++) {
      try {
        const verdicts = await client.workflow
          .getHandle(workflowId)
          .executeUpdate<TurnVerdict[], [TurnReport[]]>(AGENT_TURNS_UPDATE, { args: [reports], updateId });
        return reports.map((r, i) => ({ ...(verdicts[i] ?? { agentId: r.agentId, go: true }), counted: true }));
      } catch (e) {
        const error = ensureError(e);
        // The run is over (or gone): no further turn of it is wanted.
        if (error instanceof WorkflowNotFoundError || /already completed/i.test(error.message)) {
          return all({ go: false, reason: 'the run has ended', counted: false });
        }
        if (error instanceof WorkflowUpdateFailedError) {
          const cause = error.cause?.message ?? error.message;
          // A run on an interpreter from before turn reports: it counts the usage at the agent's end.
          if (cause.startsWith('No registered handler for update')) return all({ go: true, counted: false });
          // The run refused the report itself (it could not read it): resending will not help, and
          // going on would be unchecked.
          return all({ go: false, reason: `the run refused the turn report: ${cause}`, counted: false });
        }
        // Every agent waiting on this batch was cancelled: none will make another call.
        if (batch.every((w) => w.signal?.aborted)) return all({ go: false, reason: 'the agent was cancelled', counted: false });
        if (!warned) {
          warned = true;
          for (const report of reports) {
            this.warn(
              `Agent ${report.agentId} is waiting for its run, which cannot be reached (${error.message}): it makes no model call until the run answers its turn report, or it is cancelled.`,
              { workflowId, agentId: report.agentId },
            );
          }
        }
        const delay = this.retryDelaysMs[Math.min(attempt, this.retryDelaysMs.length - 1)]!;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
