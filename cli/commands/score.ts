import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { connectClient } from '../../client/connection.js';
import { workflowIdOf } from '../../client/find-run.js';
import { fetchRunReport } from '../../client/run-report.js';
import { giveScore, ScoreRecords, ScoreRefused } from '../../client/score-records.js';
import { loadSettings } from '../../config/settings.js';
import { MAX_SCORE_NOTE_CHARS, scoreProblem, scoreText, type ScoreGiven } from '../../contract/score-types.js';
import { CliError } from '../exit-codes.js';

export function registerScore(program: Command): void {
  program
    .command('score')
    .description("add a score to a run, running or ended (a person's grade, a CI result); the last score of a name wins")
    .argument('<run>', "the run id (workflow id, or Temporal's run id)")
    .argument('<name>', "the score's name: letters, digits, '-', '_' or '.'")
    .argument('<value>', 'a number, or true/false')
    .option('--note <text>', 'why, shown beside the score')
    .option('--by <who>', 'who gives it (default: your user name)')
    .option('--json', 'print JSON: { workflowId, score, kept }')
    .action(async (run: string, name: string, valueText: string, flags: { note?: string; by?: string; json?: boolean }) => {
      const given = parseGiven(name, valueText, flags);
      const home = loadSettings().home;
      const client = await connectClient(home);
      const workflowId = await workflowIdOf(client, run);
      const records = await ScoreRecords.open(home);
      const { report } = await fetchRunReport(client, workflowId, records);
      let kept;
      try {
        kept = await giveScore(client, records, workflowId, given, report.scores ?? []);
      } catch (error) {
        if (error instanceof ScoreRefused) throw new CliError(`baton: ${error.message}`);
        throw error;
      }
      if (flags.json) {
        console.log(JSON.stringify({ workflowId, score: kept.score, kept: kept.where }, null, 2));
        return;
      }
      const change = kept.replaced ? ` (was ${scoreText(kept.replaced)})` : '';
      const where =
        kept.where === 'history' ? "in the run's history" : "beside the ended run, in the blob store (its search attributes keep the script's scores)";
      console.log(`${workflowId}: score ${kept.score.name} ${scoreText(kept.score)}${change} by ${kept.score.by}, kept ${where}`);
    });
}

function parseGiven(name: string, valueText: string, flags: { note?: string; by?: string }): ScoreGiven {
  const value = valueText === 'true' ? true : valueText === 'false' ? false : valueText.trim() === '' ? NaN : Number(valueText);
  if (scoreProblem(name, 0)) throw new CliError(`baton score: ${scoreProblem(name, 0)}. Example: baton score RUN confirmed 3 --note 'checked by hand'`);
  if (scoreProblem(name, value)) throw new CliError(`baton score: the value is a number or true/false, got ${JSON.stringify(valueText)}.`);
  if (flags.note !== undefined && flags.note.length > MAX_SCORE_NOTE_CHARS)
    throw new CliError(`baton score: --note takes at most ${MAX_SCORE_NOTE_CHARS} characters`);
  const by = flags.by ?? userInfo().username;
  if (by.trim() === '') throw new CliError('baton score: --by takes a name');
  return { name, value: Number(value), kind: typeof value === 'boolean' ? 'boolean' : 'number', note: flags.note ?? null, by };
}
