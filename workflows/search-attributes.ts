// Baton's search attributes as typed keys, shared by the workflow (which upserts them as the run
// goes), the client (which sets the first ones at start) and `baton ls` (which reads them).
// The names and types match stack/dev-server.ts, which registers them.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { RunSearchValues } from './run-details.js';

export const BATON_SCRIPT = defineSearchAttributeKey('BatonScript', SearchAttributeType.KEYWORD);
export const BATON_STATUS = defineSearchAttributeKey('BatonStatus', SearchAttributeType.KEYWORD);
export const BATON_PHASE = defineSearchAttributeKey('BatonPhase', SearchAttributeType.KEYWORD);
export const BATON_AGENTS = defineSearchAttributeKey('BatonAgents', SearchAttributeType.INT);
export const BATON_TOKENS = defineSearchAttributeKey('BatonTokens', SearchAttributeType.INT);
export const BATON_COST_USD = defineSearchAttributeKey('BatonCostUsd', SearchAttributeType.DOUBLE);
export const BATON_SCORE = defineSearchAttributeKey('BatonScore', SearchAttributeType.DOUBLE);
export const BATON_SCORES = defineSearchAttributeKey('BatonScores', SearchAttributeType.KEYWORD_LIST);

/** The visibility query that finds Baton runs and nothing else. */
export const BATON_RUNS_QUERY = 'BatonScript IS NOT NULL';

/** The pairs whose value differs from `before` (every set value when `before` is null). */
export function changedSearchAttributes(before: RunSearchValues | null, after: RunSearchValues): SearchAttributeUpdatePair[] {
  const pairs: SearchAttributeUpdatePair[] = [];
  const differs = (name: keyof RunSearchValues) => before === null || before[name] !== after[name];
  if (differs('BatonScript')) pairs.push({ key: BATON_SCRIPT, value: after.BatonScript });
  if (differs('BatonStatus')) pairs.push({ key: BATON_STATUS, value: after.BatonStatus });
  if (differs('BatonPhase') && !(before === null && after.BatonPhase === null)) pairs.push({ key: BATON_PHASE, value: after.BatonPhase });
  if (differs('BatonAgents')) pairs.push({ key: BATON_AGENTS, value: after.BatonAgents });
  if (differs('BatonTokens')) pairs.push({ key: BATON_TOKENS, value: after.BatonTokens });
  if (differs('BatonCostUsd')) pairs.push({ key: BATON_COST_USD, value: after.BatonCostUsd });
  // Scores exist only once the script (or baton score) gives one: runs without them upsert nothing new.
  if (after.BatonScore !== null && (before === null || before.BatonScore !== after.BatonScore)) pairs.push({ key: BATON_SCORE, value: after.BatonScore });
  if (after.BatonScores !== null && (before === null || before.BatonScores?.join('\n') !== after.BatonScores.join('\n'))) {
    pairs.push({ key: BATON_SCORES, value: after.BatonScores });
  }
  return pairs;
}
