// How scores read in `baton status`, `baton report` and `baton compare`.
import { costPerPointText } from '../contract/cost-per-point.js';
import { scoreText, type ScoreView } from '../contract/score-types.js';

/** `confirmed 3 · grade 4 (alice: "reads well")`: the script's scores bare, others with who gave them. */
export function scoresLine(scores: readonly ScoreView[]): string {
  return scores
    .map((score) => {
      const who = [score.by === 'script' ? null : score.by, score.note === null ? null : JSON.stringify(score.note)].filter(Boolean).join(': ');
      return `${score.name} ${scoreText(score)}${who ? ` (${who})` : ''}`;
    })
    .join(' · ');
}

/** The report's Scores table: each score, what a point of it cost, who gave it and why. */
export function scoresTable(scores: readonly ScoreView[], costUsd: number): string[] {
  return [
    '| Score | Value | Cost per point | By | Note |',
    '|---|--:|--:|---|---|',
    ...scores.map(
      (score) => `| ${cell(score.name)} | ${scoreText(score)} | ${costPerPointText(costUsd, score.value)} | ${cell(score.by)} | ${cell(score.note ?? '')} |`,
    ),
  ];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
