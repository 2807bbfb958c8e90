// The run's approve() calls as its report shows them (docs/runs.md#approvals), in call order. Owned
// by the run's tracker (run-tracker.ts) and written only here: approvals.ts asks and waits,
// and says through these methods what happened.
import type { ApprovalView } from '../contract/approval-types.js';

export class ApprovalViews {
  private readonly views: ApprovalView[] = [];

  /** `changed` is called after each change the report shows. */
  constructor(private readonly changed: () => void = () => {}) {}

  get list(): ReadonlyArray<Readonly<ApprovalView>> {
    return this.views;
  }

  /** The approvals waiting now, oldest first. */
  waiting(): Array<Readonly<ApprovalView>> {
    return this.views.filter((approval) => approval.state === 'waiting');
  }

  /** An approve() call, `waiting` until answered; the report shows it once waits() says so. */
  ask(message: string, timeoutMs: number | null, fallback: boolean): Readonly<ApprovalView> {
    const view: ApprovalView = {
      id: `q${this.views.length + 1}`,
      message,
      state: 'waiting',
      answer: null,
      askedAt: Date.now(),
      answeredAt: null,
      answeredBy: null,
      timeoutAt: timeoutMs === null ? null : Date.now() + timeoutMs,
      default: timeoutMs === null ? null : fallback,
    };
    this.views.push(view);
    return view;
  }

  /**
   * The same approve() call in the run this one continued from: its answer holds (`answered`),
   * or its wait goes on from when it was asked and to its first deadline (`waiting`).
   */
  carry(view: Readonly<ApprovalView>, earlier: ApprovalView, how: 'answered' | 'waiting'): void {
    const own = this.own(view);
    if (how === 'answered') {
      Object.assign(own, { ...earlier, id: own.id });
      return;
    }
    own.askedAt = earlier.askedAt;
    if (own.timeoutAt !== null && earlier.timeoutAt !== null) own.timeoutAt = earlier.timeoutAt;
  }

  /** The call now waits for a person. */
  waits(): void {
    this.changed();
  }

  /** Answered `answer` by `by` (a person, `--auto-approve`, or its timeout, with `state` timed_out). */
  answer(view: Readonly<ApprovalView>, answer: boolean, by: string, state?: ApprovalView['state']): void {
    const own = this.own(view);
    own.state = state ?? (answer ? 'approved' : 'rejected');
    own.answer = answer;
    own.answeredAt = Date.now();
    own.answeredBy = by;
    this.changed();
  }

  /** Ended unanswered by the run's stop. */
  stop(view: Readonly<ApprovalView>): void {
    const own = this.own(view);
    own.state = 'stopped';
    own.answeredAt = Date.now();
    this.changed();
  }

  /** The run ends: a call the script never awaited to the end is answered by nobody now. */
  endWaits(): void {
    for (const approval of this.views) if (approval.state === 'waiting') approval.state = 'stopped';
  }

  /** The writable view behind one this list handed out. */
  private own(view: Readonly<ApprovalView>): ApprovalView {
    return this.views[Number(view.id.slice(1)) - 1]!;
  }
}
