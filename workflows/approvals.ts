// approve(message, { timeout?, default? }) (docs/runs.md#approvals): the run waits for a person, durably. The
// wait is a workflow condition, so it survives worker and server restarts like any other await;
// a timeout is a durable timer. While a call waits the run's status is `waiting` (its search
// attribute too), and `baton approve RUN [--reject]` (an update) answers the oldest waiting call.
// A script that never calls approve() issues no command from here.
import { condition, isCancellation, log, patched, setHandler } from '@temporalio/workflow';
import type { ApprovalReply, ApprovalView } from '../contract/approval-types.js';
import type { RunInput, SteeringAnswer } from '../contract/run-types.js';
import { DURATION_EXAMPLES, parseDuration } from '../contract/duration.js';
import { approveRunUpdate } from '../contract/run-messages.js';
import type { RunTracker } from './run-tracker.js';

import { CARRIED_WAIT_PATCH } from './patches.js';

type Envelope = { ok: true; value: boolean } | { ok: false; error: { name: string; message: string } };

export class Approvals {
  /** The answers of the runs this one continued from, by call order. */
  private readonly carried: ApprovalView[];

  constructor(
    private readonly input: RunInput,
    private readonly tracker: RunTracker,
    private readonly stopRequested: () => boolean,
    /** Called when a call starts waiting (the `waiting` notification); must not throw. */
    private readonly startedWaiting: () => void,
  ) {
    this.carried = input.carry?.approvals ?? [];
    setHandler(approveRunUpdate, (reply) => this.answer(reply), { validator: (reply) => void this.firstInLine(reply) });
  }

  /** The host side of approve(): resolves (as an envelope) to the answer, the default, or RunStoppedError. */
  async ask(message: string, optionsJson: string): Promise<string> {
    const parsed = parseApproveOptions(optionsJson);
    if ('error' in parsed) return envelope({ ok: false, error: { name: 'TypeError', message: parsed.error } });
    const { timeoutMs, fallback } = parsed;
    const view = this.tracker.approvals.ask(message, timeoutMs, fallback);
    const earlier = this.carried[this.tracker.approvals.list.length - 1];
    const same = earlier !== undefined && earlier.message === message;
    // Answered before this run continued as new: the same call gets the same answer.
    if (same && earlier.state !== 'waiting' && earlier.state !== 'stopped') {
      this.tracker.approvals.carry(view, earlier, 'answered');
      return this.settled(view);
    }
    // Still waiting when the run before continued as new: the same wait goes on, from when it
    // was asked and to its first deadline, and the people notified are not notified again.
    // (Runs from before this rule asked again; they replay as they ran.)
    const goesOn = same && earlier.state === 'waiting' && patched(CARRIED_WAIT_PATCH);
    if (goesOn) this.tracker.approvals.carry(view, earlier, 'waiting');
    if (this.stopRequested()) return this.stopped(view);
    if (this.input.options.autoApprove || this.input.options.dryRun) {
      this.decide(view, true, this.input.options.dryRun ? 'dry run' : '--auto-approve');
      return this.settled(view);
    }
    this.tracker.approvals.waits();
    if (!goesOn) this.startedWaiting();
    try {
      const done = () => view.state !== 'waiting' || this.stopRequested();
      // Without a timeout no timer is started: the run waits until someone answers. A deadline
      // already past (it passed while the run continued as new) still takes a timer's turn.
      const answered = view.timeoutAt === null ? (await condition(done), true) : await condition(done, Math.max(1, view.timeoutAt - Date.now()));
      if (!answered) this.decide(view, fallback, 'timeout', 'timed_out');
    } catch (error) {
      if (!isCancellation(error)) throw error;
      return this.stopped(view);
    }
    if (view.state === 'waiting') return this.stopped(view);
    return this.settled(view);
  }

  /** The approvals waiting now, oldest first. */
  waiting(): Array<Readonly<ApprovalView>> {
    return this.tracker.approvals.waiting();
  }

  private answer(reply: ApprovalReply): SteeringAnswer {
    const view = this.firstInLine(reply);
    this.decide(view, reply.approve, reply.by?.trim() || 'unknown (no identity given)');
    const left = this.waiting();
    const next = left.length > 0 ? `; next waiting: ${left[0]!.id} ${JSON.stringify(left[0]!.message)}${left.length > 1 ? ` (+${left.length - 1})` : ''}` : '';
    return {
      status: left.length > 0 ? 'waiting' : 'running',
      message: `${reply.approve ? 'approved' : 'rejected'} ${view.id} ${JSON.stringify(view.message)}${next}`,
    };
  }

  /** The approval an answer goes to, or an error the update's caller sees. */
  private firstInLine(reply: ApprovalReply): Readonly<ApprovalView> {
    if (typeof reply?.approve !== 'boolean' || (reply.by !== undefined && typeof reply.by !== 'string')) {
      throw new Error('an approval answer is { "approve": true|false, "by": "who@where" }.');
    }
    if (this.stopRequested()) throw new Error('the run is stopping.');
    const first = this.waiting()[0];
    if (!first) throw new Error('the run is not waiting for an approval (see baton status RUN).');
    if (reply.id !== undefined && reply.id !== first.id)
      throw new Error(`${reply.id} is not the approval first in line; ${first.id} is: ${JSON.stringify(first.message)}.`);
    return first;
  }

  private decide(view: Readonly<ApprovalView>, answer: boolean, by: string, state?: ApprovalView['state']): void {
    this.tracker.approvals.answer(view, answer, by, state);
  }

  private settled(view: Readonly<ApprovalView>): string {
    log.info('approval answered', { id: view.id, state: view.state, by: view.answeredBy });
    return envelope({ ok: true, value: view.answer === true });
  }

  private stopped(view: Readonly<ApprovalView>): string {
    this.tracker.approvals.stop(view);
    return envelope({ ok: false, error: { name: 'RunStoppedError', message: `The run was stopped while approval ${view.id} waited: ${view.message}` } });
  }
}

/** `{ timeout?, default? }` as the prelude passes it; an error message names the mistake. */
export function parseApproveOptions(json: string): { timeoutMs: number | null; fallback: boolean } | { error: string } {
  const raw = JSON.parse(json) as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key !== 'timeout' && key !== 'default') return { error: `approve() has no option "${key}"; it takes { timeout, default }.` };
  }
  if (raw.default !== undefined && typeof raw.default !== 'boolean') {
    return { error: `approve() option "default" must be true or false, got ${JSON.stringify(raw.default)}.` };
  }
  const fallback = raw.default === true;
  if (raw.timeout === undefined) {
    if (raw.default !== undefined)
      return { error: 'approve() option "default" applies after a timeout; give one too, e.g. { timeout: \'12h\', default: false }.' };
    return { timeoutMs: null, fallback };
  }
  const timeoutMs = parseDuration(raw.timeout);
  if (timeoutMs === null) {
    return {
      error: `approve() option "timeout" must be a duration such as ${DURATION_EXAMPLES}, or a number of milliseconds, got ${JSON.stringify(raw.timeout)}.`,
    };
  }
  return { timeoutMs, fallback };
}

function envelope(value: Envelope): string {
  return JSON.stringify(value);
}
