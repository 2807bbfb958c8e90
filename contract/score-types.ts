// Scores: what a run was worth (docs/scores.md: score() and `baton score`). Given by the script as it
// runs, by `baton score` while it runs (an update, in its history) or after it ended (a record in
// the blob store, merged when the run is read). Pure types and checks, shared by every side.

/** One score of a run; a name given again replaces it (the last value wins). */
export interface ScoreView {
  name: string;
  /** The number; a boolean is stored as 1 or 0, with `kind` saying it was one. */
  value: number;
  kind: 'number' | 'boolean';
  note: string | null;
  /** `script` for the script's score(); the OS user name (or `--by`) for `baton score`. */
  by: string;
  /** Epoch ms it was given (workflow time inside a run). */
  at: number;
}

/** What `baton score` sends a running run: the workflow stamps `at` itself. */
export type ScoreGiven = Omit<ScoreView, 'at'>;

/** The name of the score `BatonScore` (a Double search attribute) holds. */
export const SEARCHABLE_SCORE = 'score';

export const SCORE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
export const MAX_SCORE_NOTE_CHARS = 500;
/** Names a run keeps: a score's search attributes and memo must stay small. */
export const MAX_SCORES = 100;

/** How a score shows: `true`/`false` for a boolean, else the number. */
export function scoreText(score: Pick<ScoreView, 'value' | 'kind'>): string {
  return score.kind === 'boolean' ? String(score.value === 1) : String(score.value);
}

/** `scores` with `given` in place of the score of the same name (kept in first-given order). */
export function withScore(scores: readonly ScoreView[], given: ScoreView): ScoreView[] {
  const at = scores.findIndex((score) => score.name === given.name);
  if (at === -1) return [...scores, given];
  return scores.map((score, i) => (i === at ? given : score));
}

/** A run's own scores with those given from outside after it ended: by name, the later one wins. */
export function mergeScores(own: readonly ScoreView[], outside: readonly ScoreView[]): ScoreView[] {
  let merged = [...own];
  for (const score of outside) {
    const current = merged.find((s) => s.name === score.name);
    if (!current || current.at <= score.at) merged = withScore(merged, score);
  }
  return merged;
}

/** Why a (name, value) pair cannot be a score, or null when it can. */
export function scoreProblem(name: unknown, value: unknown): string | null {
  if (typeof name !== 'string' || !SCORE_NAME.test(name)) {
    return `a score's name is 1-100 letters, digits, '-', '_' or '.', got ${JSON.stringify(name) ?? String(name)}`;
  }
  if (typeof value === 'boolean') return null;
  if (typeof value !== 'number' || !Number.isFinite(value))
    return `score ${name} takes a finite number or a boolean, got ${JSON.stringify(value) ?? String(value)}`;
  return null;
}
