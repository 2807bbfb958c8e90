// The run's scores (docs/scores.md#recording-a-score): given by the script, or by `baton score` while the run goes
// on (an update, so it is in the history). Kept in the tracker's report; a run that continues as
// new carries them, and its script's first `scoreCalls` score() calls (made again from the top)
// are skipped, as log() calls are.
import type { CarriedRun } from '../contract/call-journal.js';
import { MAX_SCORE_NOTE_CHARS, MAX_SCORES, scoreProblem, scoreText, withScore, type ScoreGiven, type ScoreView } from '../contract/score-types.js';
import type { RunTracker } from './run-tracker.js';

export class RunScores {
  private calls = 0;
  private toSkip: number;

  constructor(
    carry: CarriedRun | undefined,
    private readonly tracker: RunTracker,
  ) {
    if (carry?.scores) tracker.restoreScores(carry.scores);
    this.toSkip = carry?.scoreCalls ?? 0;
  }

  /** score() calls the script has made in the whole chain of runs. */
  get scriptCalls(): number {
    return this.calls + this.toSkip;
  }

  /**
   * The script's score(name, value, { note }), its values checked by the prelude. Returns why it
   * cannot be kept (the prelude throws that at the script's line), else undefined.
   */
  fromScript(name: string, value: number | boolean, note: string | null): string | undefined {
    this.calls++;
    if (this.toSkip > 0) {
      this.toSkip--;
      return undefined;
    }
    const given: ScoreGiven = { name, value: Number(value), kind: typeof value === 'boolean' ? 'boolean' : 'number', note, by: 'script' };
    const problem = this.problem(given);
    if (problem) return problem;
    this.record(given);
    return undefined;
  }

  /** Why `baton score` cannot give this score now, or null. */
  problem(given: ScoreGiven): string | null {
    const value = given.kind === 'boolean' ? given.value === 1 : given.value;
    const problem = scoreProblem(given.name, value);
    if (problem) return problem;
    if (given.kind === 'boolean' && given.value !== 0 && given.value !== 1) return 'a boolean score is 1 or 0';
    if (!this.tracker.scores.some((score) => score.name === given.name) && this.tracker.scores.length >= MAX_SCORES) {
      return `a run keeps at most ${MAX_SCORES} scores`;
    }
    return null;
  }

  given(given: ScoreGiven): ScoreView {
    return this.record(given);
  }

  private record(given: ScoreGiven): ScoreView {
    const note = given.note === null ? null : given.note.slice(0, MAX_SCORE_NOTE_CHARS);
    const view: ScoreView = { name: given.name, value: given.value, kind: given.kind, note, by: given.by, at: Date.now() };
    const before = this.tracker.scores.find((score) => score.name === view.name);
    // A score given again replaces the last; the log says so, so a changed grade is never silent.
    if (before) this.tracker.log(`score ${view.name}: ${scoreText(before)} → ${scoreText(view)}`);
    this.tracker.setScores(withScore(this.tracker.scores, view));
    return view;
  }
}
