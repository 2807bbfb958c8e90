// A run's scores in its Temporal memo (name → value), which `baton ls` reads from visibility to
// sort by cost per point. The workflow upserts it when a score changes; a memo cannot change
// after the run closes, so scores given later live in the blob store (client/score-records.ts).
import type { ScoreView } from './score-types.js';

export const SCORES_MEMO = 'batonScores';

export function scoresMemo(scores: readonly ScoreView[]): Record<string, number> {
  return Object.fromEntries(scores.map((score) => [score.name, score.value]));
}
