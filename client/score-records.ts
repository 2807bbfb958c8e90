// Scores given to a run from outside (`baton score RUN NAME VALUE`). A running run takes them as an
// update, so they are in its history; an ended run cannot take updates, and Temporal fixes its memo
// and search attributes at close, so its later scores live in a small record in the deployment's
// blob store, keyed by workflow id, merged with the run's own scores whenever the run is read.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { INTERPRETER_WORKFLOW_TYPE, type RunReport } from '../contract/run-types.js';
import { mergeScores, withScore, type ScoreGiven, type ScoreView } from '../contract/score-types.js';
import type { CheckpointSlots } from '../storage/checkpoint-slots.js';
import { openStorage } from '../storage/open-storage.js';
import { storageLocation } from './connection.js';
import { scoreRunUpdate } from '../contract/run-messages.js';

/** Thrown when a score is refused: a bad name or value, or a run that is not Baton's. */
export class ScoreRefused extends Error {
  override name = 'ScoreRefused';
}

export class ScoreRecords {
  constructor(private readonly slots: CheckpointSlots) {}

  static async open(home: string): Promise<ScoreRecords> {
    return new ScoreRecords((await openStorage(storageLocation(home))).scoreRecords);
  }

  async read(workflowId: string): Promise<ScoreView[]> {
    const text = await this.slots.read(workflowId);
    return text === null ? [] : ((JSON.parse(text) as { scores: ScoreView[] }).scores ?? []);
  }

  /** Adds `score` (replacing one of its name). Two people scoring one run in the same instant: the last write wins. */
  async add(workflowId: string, score: ScoreView): Promise<void> {
    const scores = withScore(await this.read(workflowId), score);
    await this.slots.write(workflowId, JSON.stringify({ scores }));
  }

  /** The report with the scores given after the run ended. */
  async merged(workflowId: string, report: RunReport): Promise<RunReport> {
    const outside = await this.read(workflowId);
    return outside.length === 0 ? report : { ...report, scores: mergeScores(report.scores ?? [], outside) };
  }
}

/** Where a score given with `baton score` was kept. */
export type ScoreKept = { score: ScoreView; where: 'history' | 'record'; replaced: ScoreView | null };

export async function giveScore(client: Client, records: ScoreRecords, workflowId: string, given: ScoreGiven, previous: ScoreView[]): Promise<ScoreKept> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  if (description.type !== INTERPRETER_WORKFLOW_TYPE) throw new ScoreRefused(`${workflowId} is not a Baton run (its workflow type is ${description.type}).`);
  const replaced = previous.find((score) => score.name === given.name) ?? null;
  if (description.status.name === 'RUNNING') {
    try {
      return { score: await handle.executeUpdate(scoreRunUpdate, { args: [given] }), where: 'history', replaced };
    } catch (error) {
      // The run may have ended in the meantime: then the record below keeps the score.
      const stillRunning = (await handle.describe()).status.name === 'RUNNING';
      if (stillRunning && error instanceof WorkflowUpdateFailedError)
        throw new ScoreRefused(`${workflowId}: refused: ${error.cause?.message ?? error.message}`);
      if (stillRunning) throw error;
    }
  }
  const score: ScoreView = { ...given, at: Date.now() };
  await records.add(workflowId, score);
  return { score, where: 'record', replaced };
}
