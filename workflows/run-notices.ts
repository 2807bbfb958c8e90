// `--notify URL` (docs/runs.md#approvals): the run posts its `--json` summary plus `event` when it starts
// waiting at approve() and when it ends. Each notice is a child workflow (notify-workflow.ts) that
// the run starts and abandons: the run waits only for it to start, never for the receivers, and a
// notice that cannot even start is logged, never a failure of the run. A run without --notify
// issues no command from here.
import { ApplicationFailure, CancellationScope, ContinueAsNew, ParentClosePolicy, isCancellation, log, startChild, workflowInfo } from '@temporalio/workflow';
import type { NotifyEvent } from '../contract/approval-types.js';
import type { RunInput, RunReport } from '../contract/run-types.js';
import { runSummary } from '../contract/run-summary.js';
import { batonNotify } from './notify-workflow.js';

export class RunNotices {
  private sent = 0;
  /** The run's live report, for a run cancelled from outside Baton (its failure carries none). */
  currentReport: (() => RunReport) | null = null;

  constructor(private readonly input: RunInput) {}

  /** Starts the notice's child workflow; resolves once it started (or could not). */
  async send(event: NotifyEvent, report: RunReport): Promise<void> {
    const targets = this.input.options.notify ?? [];
    if (targets.length === 0 || this.input.options.dryRun) return;
    const { workflowId, runId } = workflowInfo();
    const body = { event, ...runSummary(report, { runId, workflowId }) };
    this.sent++;
    try {
      // Also when the run was cancelled from outside: the person still wants to hear it ended.
      await CancellationScope.nonCancellable(() =>
        startChild(batonNotify, {
          // By run id, unique in the namespace (and the same when a history is replayed under another workflow id).
          workflowId: `baton-notify-${runId}-${this.sent}`,
          args: [{ targets, body }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: `notify: ${report.name} ${event}`,
        }),
      );
    } catch (error) {
      log.warn('could not start a notification', { event, error: (error as Error).message });
    }
  }

  /** Runs the interpreter and sends `ended` with its report, whichever way it ended (not on continue-as-new). */
  async aroundRun(run: () => Promise<RunReport>): Promise<RunReport> {
    if ((this.input.options.notify ?? []).length === 0) return run();
    let report: RunReport;
    try {
      report = await run();
    } catch (error) {
      const cancelled = isCancellation(error) && this.currentReport ? { ...this.currentReport(), status: 'stopped' as const } : undefined;
      const carried = error instanceof ApplicationFailure ? (error.details?.[0] as RunReport | undefined) : cancelled;
      if (carried && !(error instanceof ContinueAsNew)) await this.send('ended', carried);
      throw error;
    }
    await this.send('ended', report);
    return report;
  }
}
