// `baton score RUN NAME VALUE` on a running run: an update, so the score is in the run's history
// and its report, search attributes and memo follow. Definitions only (clients import this file).
import { defineUpdate } from './message-definitions.js';
import type { ScoreGiven, ScoreView } from '../contract/score-types.js';

/** Records the score (the last of its name wins); answers it as kept, with the run's time. */
export const scoreRunUpdate = defineUpdate<ScoreView, [ScoreGiven]>('batonScore');
