// The run's call journal (docs/runs.md#resuming-an-edited-script): what every agent() call ended with, in call order, and the
// reuse of earlier outcomes. A call is answered without an activity when it matches
//  - an entry carried over from the run this one continued from (shown as it was: it ran in this
//    logical run), or else
//  - a succeeded entry of the run given by `--resume-from` (shown as cached, costing nothing).
// Everything here derives from the input and the calls, so a replay rebuilds the same journal.
import type { JournalEntry, ResumeFrom, ReuseMiss, ReuseReport, RunJournal } from '../contract/call-journal.js';
import { callKeyFields, changedKeyFields, type CallKeyInput } from '../contract/call-key.js';
import { emptyUsage } from '../contract/pricing.js';
import type { AgentView, RunInput } from '../contract/run-types.js';
import type { CallEnvelope } from './call-envelope.js';
import type { RunTracker } from './run-tracker.js';

/** One live call, filled in by the agent runner as it goes. */
export interface CallSlot {
  key?: string;
  view?: Readonly<AgentView>;
  branch?: string | null;
  /** Its place in the journal. */
  index?: number;
  /** callKeyFields() of the call, for the journal entry. */
  fields?: Record<string, string>;
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
    this.earlier = input.resume ? new EarlierRun(input.resume, input.carry?.reuse) : null;
  }

  /**
   * The outcome of a call answered from a journal, registered with the tracker as an ended
   * agent; null when the call must run live.
   */
  reuse(key: string, fields: AgentFields, tracker: RunTracker, call: CallKeyInput): CallEnvelope | null {
    const carriedAt = this.carried.findIndex((entry) => entry.key === key);
    if (carriedAt >= 0) {
      const [entry] = this.carried.splice(carriedAt, 1) as [JournalEntry];
      const view = tracker.addReusedAgent(
        fields,
        entry.state,
        { usage: entry.usage, costUsd: entry.costUsd, turns: entry.turns, error: entry.error },
        { startedAt: entry.startedAt ?? null, endedAt: entry.endedAt ?? undefined, branch: entry.branch },
      );
      this.calls.push({ ...entry, agentId: view.id, label: view.label, phase: view.phase });
      return entry.thrown ? { ok: false, error: entry.thrown } : { ok: true, value: entry.result };
    }
    const entry = this.earlier?.take(key, { position: this.calls.length, agentId: `a${this.calls.length + 1}`, label: fields.label, call });
    if (this.earlier) tracker.noteReuse(this.earlier.report());
    if (!entry) return null;
    // A reused agent's work is the branch the earlier run left; nothing is pushed again.
    const view = tracker.addReusedAgent(fields, 'cached', { turns: 0 }, { startedAt: null, branch: entry.branch });
    const cached: JournalEntry = {
      ...entry,
      agentId: view.id,
      label: view.label,
      phase: view.phase,
      state: 'cached',
      usage: emptyUsage(),
      costUsd: 0,
      turns: 0,
      error: null,
    };
    cached.startedAt = null;
    cached.endedAt = view.endedAt;
    this.calls.push(cached);
    return { ok: true, value: entry.result };
  }

  /** A call that runs live takes its place in call order now; record() fills it in. */
  open(slot: CallSlot, key: string, view: Readonly<AgentView>, call: CallKeyInput): void {
    slot.key = key;
    slot.fields = callKeyFields(call);
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
    if (slot.fields) entry.fields = slot.fields;
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
  private reused = 0;
  private firstMiss: ReuseMiss | null = null;

  /** `before`: what the runs this one continued from reused, so the counts go on. */
  constructor(
    private readonly resume: ResumeFrom,
    private readonly before?: ReuseReport,
  ) {}

  /**
   * `prefix`: the i-th call reuses entry i while every call so far matched; the first changed or
   * new call, and every call after it, run live. `any`: the first unused entry with the key.
   * Only succeeded calls are reused (a cached one succeeded in the run before that).
   */
  take(key: string, asked: MissedCall): JournalEntry | null {
    const taken = this.match(key);
    if (taken) this.reused++;
    // docs/runs.md#resuming-an-edited-script: a silent miss is the resume complaint, so the first one says what changed.
    else if (!this.firstMiss && !this.before?.firstMiss)
      this.firstMiss = missOf(asked, this.resume.entries[this.resume.mode === 'any' ? asked.position : this.next], key, this.resume.rerunFrom);
    return taken;
  }

  report(): ReuseReport {
    const { fromRunId, mode, entries } = this.resume;
    const { before } = this;
    return {
      fromRunId,
      mode,
      reused: (before?.reused ?? 0) + this.reused,
      offered: before?.offered ?? entries.length,
      firstMiss: before?.firstMiss ?? this.firstMiss,
    };
  }

  private match(key: string): JournalEntry | null {
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

/** A call about to run live instead of being reused. */
interface MissedCall {
  /** Its place in the run's call order (0-based), counting calls of the runs continued from. */
  position: number;
  agentId: string;
  label: string;
  call: CallKeyInput;
}

/** Why `asked` was not answered by `earlier`, the earlier call in its place. */
function missOf(asked: MissedCall, earlier: JournalEntry | undefined, key: string, rerunFrom?: string): ReuseMiss {
  const miss = { agentId: asked.agentId, label: asked.label, earlierAgentId: earlier?.agentId ?? null };
  if (!earlier && rerunFrom !== undefined) return { ...miss, changed: [], reason: `run again from here (--from ${rerunFrom})` };
  if (!earlier) return { ...miss, changed: [], reason: 'a call the earlier run did not make' };
  if (earlier.key === key) return { ...miss, changed: [], reason: `the earlier call ${earlier.state === 'succeeded' ? 'was already used' : earlier.state}` };
  if (!earlier.fields) return { ...miss, changed: [], reason: `it differs from the earlier ${earlier.agentId} (which fields, that run did not record)` };
  const changed = changedKeyFields(earlier.fields, callKeyFields(asked.call));
  return { ...miss, changed, reason: `${changed.join(', ')} changed since the earlier ${earlier.agentId}` };
}

function reusable(entry: JournalEntry): boolean {
  return entry.state === 'succeeded' || entry.state === 'cached';
}
