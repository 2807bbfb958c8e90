// Keeps the Temporal UI current (docs/runs.md#in-the-temporal-ui): the run's details (the phase table, in markdown) and
// Baton's search attributes, refreshed when the run's state changes, never on a timer.
import { patched, setCurrentDetails, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { SCORES_MEMO, scoresMemo } from '../contract/score-memo.js';
import type { AgentView, RunOverview } from '../contract/run-types.js';
import { runDetailsMarkdown, runSearchValues, type RunSearchValues } from './run-details.js';
import { changedSearchAttributes } from './search-attributes.js';

import { VISIBILITY_PATCH } from './patches.js';

export class RunVisibility {
  private readonly upserts: boolean;
  private lastValues: RunSearchValues | null = null;
  private lastDetails = '';
  private lastScores = '';
  private scheduled = false;
  /** Whether the changes since the last flush were all running agents' turns. */
  private liveOnly = true;

  constructor(
    private readonly report: () => RunOverview,
    private readonly running: () => AgentView[],
    private readonly currentPhase: () => string | null,
    private readonly dryRun = false,
  ) {
    this.upserts = patched(VISIBILITY_PATCH);
    this.flush();
  }

  /**
   * Something the report shows changed: refresh once the current activation's changes are all
   * made. `live` (a running agent's turn) refreshes the details only: an upsert is a history
   * event, and search attributes need not follow every turn.
   */
  changed(live = false): void {
    if (!live) this.liveOnly = false;
    if (this.scheduled) return;
    this.scheduled = true;
    // A microtask, so that a parallel() of 100 agents becomes one upsert, not 100; it still runs
    // before the activation's commands are sent, the final one before the run's completion.
    void Promise.resolve().then(() => {
      this.scheduled = false;
      const liveOnly = this.liveOnly;
      this.liveOnly = true;
      this.flush(liveOnly);
    });
  }

  private flush(liveOnly = false): void {
    const report = this.report();
    const details = runDetailsMarkdown(report, this.running());
    if (details !== this.lastDetails) {
      setCurrentDetails(details);
      this.lastDetails = details;
    }
    if (!this.upserts || liveOnly) return;
    const values = runSearchValues(report, this.currentPhase(), this.dryRun);
    const pairs = changedSearchAttributes(this.lastValues, values);
    if (pairs.length > 0) upsertSearchAttributes(pairs);
    this.lastValues = values;
    // `baton ls --sort cost-per:NAME` reads every score's value from the memo, without a worker.
    const scores = JSON.stringify(scoresMemo(report.scores ?? []));
    if (report.scores?.length && scores !== this.lastScores) upsertMemo({ [SCORES_MEMO]: JSON.parse(scores) as unknown });
    this.lastScores = scores;
  }
}
