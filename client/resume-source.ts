import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ResumeFrom, ReuseMode, RunJournal } from '../contract/call-journal.js';
import { batonJournalQuery } from '../contract/run-messages.js';
import { workflowIdOf } from './find-run.js';

/** Thrown when `--resume-from` names a run whose journal cannot be read. */
export class ResumeSourceError extends Error {
  override name = 'ResumeSourceError';
  constructor(
    message: string,
    readonly runId: string,
  ) {
    super(message);
  }
}

export interface ResumeSource {
  resume: ResumeFrom;
  /** The earlier run's args, reused when the new run is given none; absent when it had none. */
  args?: unknown;
}

/**
 * The journal and args of an earlier run (docs/runs.md#resuming-an-edited-script, `--resume-from`) that has ended (one still
 * running is refused): the interpreter answers the journal query of a closed run, by replaying it, while a worker
 * polls its task queue. By workflow id, so a run that continued as new is read at its latest.
 */
export async function fetchResumeSource(client: Client, run: string, mode: ReuseMode): Promise<ResumeSource> {
  const runId = await workflowIdOf(client, run);
  let journal: RunJournal;
  try {
    const handle = client.workflow.getHandle(runId);
    // Its journal still grows: a run resumed from it would reuse a moving half of it.
    if ((await handle.describe()).status.name === 'RUNNING') {
      throw new ResumeSourceError(
        `Run ${runId} is still running: resume from it once it has ended ('baton status ${runId}' follows it, 'baton stop ${runId}' ends it now).`,
        runId,
      );
    }
    journal = await handle.query(batonJournalQuery);
  } catch (error) {
    if (error instanceof ResumeSourceError) throw error;
    if (error instanceof WorkflowNotFoundError) {
      throw new ResumeSourceError(`No run ${runId} to resume from. Give the workflow id that 'baton run' printed (started ...).`, runId);
    }
    throw new ResumeSourceError(
      `Cannot read the journal of run ${runId}: ${(error as Error).message}\n` +
        `A Baton worker must be running to answer for it (start one with 'baton up' or 'baton worker').`,
      runId,
    );
  }
  const source: ResumeSource = { resume: { fromRunId: runId, mode, entries: journal.entries } };
  if ('args' in journal) source.args = journal.args;
  return source;
}
