// The run's call journal (SPEC 3): what every agent() call ended with, in call order, and the
// reuse of earlier outcomes. A call is answered without an activity when it matches
//  - an entry carried over from the run this one continued from (shown as it was: it ran in this
//    logical run), or else
//  - a succeeded entry of the run given by `--resume-from` (shown as cached, costing nothing).
// Everything here derives from the input and the calls, so a replay rebuilds the same journal.
import type { JournalEntry, ResumeFrom, RunJournal } from '../contract/call-journal.js';
import { emptyUsage } from '../contract/pricing.js';
import type { AgentView, RunInput } from '../contract/run-types.js';
import type { RunTracker } from './run-tracker.js';

/** What agent() hands back to the script (script-prelude.ts). */
export type CallEnvelope = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

/** One live call, filled in by the agent runner as it goes. */
export interface CallSlot {
  key?: string;
  view?: AgentView;
  branch?: string | null;
  /** Its place in the journal. */
  index?: number;
}

type AgentFields = Pick<AgentView, 'label' | 'phase' | 'model' | 'workflow'>;

const ENDED: ReadonlyArray<AgentView['state']> = ['succeeded', 'failed', 'stopped', 'cached'];

export class CallJournal {
  /** This run's calls in call order; null until the call ends. */
  private readonly calls: Array<JournalEntry | null> = [];
  private readonly carried: JournalEntry[];
  private readonly earlier: EarlierRun | null;
  /** Live agents of this run that got as far as starting and then ended. */
  liveEnded = 0;

  constructor(private readonly input: RunInput) {
    this.carried = [...(input.carry?.entries ?? [])];
    this.earlier = input.resume ? new EarlierRun(input.resume) : null;
  }

  /**
   * The outcome of a call answered from a journal, registered with the tracker as an ended
   * agent; null when the call must run live.
   */
  reuse(key: string, fields: AgentFields, tracker: RunTracker): CallEnvelope | null {
    const carriedAt = this.carried.findIndex((entry) => entry.key === key);
    if (carriedAt >= 0) {
      const [entry] = this.carried.splice(carriedAt, 1) as [JournalEntry];
      const view = tracker.addAgent(fields);
      tracker.endAgent(view, entry.state, { usage: entry.usage, costUsd: entry.costUsd, turns: entry.turns, error: entry.error });
      view.startedAt = entry.startedAt ?? null;
      view.endedAt = entry.endedAt ?? view.endedAt;
      if (entry.branch) view.branch = entry.branch;
      this.calls.push({ ...entry, agentId: view.id, label: view.label, phase: view.phase });
      return entry.thrown ? { ok: false, error: entry.thrown } : { ok: true, value: entry.result };
    }
    const entry = this.earlier?.take(key);
    if (!entry) return null;
    const view = tracker.addAgent(fields);
    tracker.endAgent(view, 'cached', { turns: 0 });
    // A reused agent's work is the branch the earlier run left; nothing is pushed again.
    if (entry.branch) view.branch = entry.branch;
    const cached: JournalEntry = { ...entry, agentId: view.id, label: view.label, phase: view.phase, state: 'cached', usage: emptyUsage(), costUsd: 0, turns: 0, error: null };
    cached.startedAt = null;
    cached.endedAt = view.endedAt;
    this.calls.push(cached);
    return { ok: true, value: entry.result };
  }

  /** A call that runs live takes its place in call order now; record() fills it in. */
  open(slot: CallSlot, key: string, view: AgentView): void {
    slot.key = key;
    slot.view = view;
    slot.index = this.calls.push(null) - 1;
  }

  /** A live call ended with `envelope`: its entry, from the agent's view. */
  record(slot: CallSlot, envelope: CallEnvelope): void {
    const { view, key, index } = slot;
    if (!view || key === undefined || index === undefined || !ENDED.includes(view.state)) return;
    const entry: JournalEntry = {
      key,
      agentId: view.id,
      label: view.label,
      phase: view.phase,
      model: view.model,
      state: view.state as JournalEntry['state'],
      result: envelope.ok ? envelope.value : null,
      usage: { ...view.tokens },
      costUsd: view.costUsd,
      turns: view.turns,
      error: view.error,
      startedAt: view.startedAt,
      endedAt: view.endedAt,
    };
    if (!envelope.ok) entry.thrown = envelope.error;
    if (slot.branch !== undefined) entry.branch = slot.branch;
    this.calls[index] = entry;
    if (view.startedAt !== null) this.liveEnded++;
  }

  /** The calls that ended, in call order. */
  ended(): JournalEntry[] {
    return this.calls.filter((entry): entry is JournalEntry => entry !== null);
  }

  /** The `batonJournal` query. */
  snapshot(): RunJournal {
    const journal: RunJournal = { entries: this.ended() };
    if (this.input.args !== undefined) journal.args = this.input.args;
    return journal;
  }

  /** What is left of `--resume-from` for the run this one continues as; undefined when nothing. */
  remainingResume(): ResumeFrom | undefined {
    return this.earlier?.remaining();
  }
}

/** The `--resume-from` run's journal and how far this run has matched it. */
class EarlierRun {
  private next = 0;
  private broken = false;
  private readonly used = new Set<number>();

  constructor(private readonly resume: ResumeFrom) {}

  /**
   * `prefix`: the i-th call reuses entry i while every call so far matched; the first changed or
   * new call, and every call after it, run live. `any`: the first unused entry with the key.
   * Only succeeded calls are reused (a cached one succeeded in the run before that).
   */
  take(key: string): JournalEntry | null {
    const { entries, mode } = this.resume;
    if (mode === 'any') {
      const at = entries.findIndex((entry, i) => !this.used.has(i) && entry.key === key && reusable(entry));
      if (at < 0) return null;
      this.used.add(at);
      return entries[at]!;
    }
    const entry = this.broken ? undefined : entries[this.next];
    if (entry && entry.key === key && reusable(entry)) {
      this.next++;
      return entry;
    }
    this.broken = true;
    return null;
  }

  remaining(): ResumeFrom | undefined {
    const { entries, mode } = this.resume;
    const left = mode === 'any' ? entries.filter((_, i) => !this.used.has(i)) : this.broken ? [] : entries.slice(this.next);
    return left.length > 0 ? { ...this.resume, entries: left } : undefined;
  }
}

function reusable(entry: JournalEntry): boolean {
  return entry.state === 'succeeded' || entry.state === 'cached';
}
