// `baton rerun RUN [--failed | --from AGENT_ID]` (docs/runs.md#resuming-an-edited-script): the run's own script, args and
// options again, read back from its input (no file needed), with its journal to reuse:
//  - `--failed`: every succeeded call, wherever it is (the failed and stopped ones run live);
//  - `--from ID`: the calls issued before agent ID, from the start (ID and all after it run live);
//  - neither: nothing; the same run once more.
import type { Client } from '@temporalio/client';
import type { RunInput } from '../contract/run-types.js';
import { workflowIdOf } from './find-run.js';
import { fetchResumeSource } from './resume-source.js';
import { fetchRunInput } from './run-source.js';

/** Thrown when a run cannot be rerun as asked: no script kept, or no such agent. */
export class RerunRefused extends Error {
  override name = 'RerunRefused';
}

export type RerunFrom = { failed: true } | { from: string } | Record<string, never>;

export async function rerunInput(client: Client, run: string, how: RerunFrom): Promise<RunInput> {
  const workflowId = await workflowIdOf(client, run);
  // The journal first: it refuses a run still going, and names an unknown one.
  const source = await fetchResumeSource(client, workflowId, 'from' in how ? 'prefix' : 'any');
  const earlier = await fetchRunInput(client, workflowId);
  if (!earlier?.script || typeof earlier.script.program !== 'string') {
    throw new RerunRefused(
      `${workflowId} does not carry the input Baton needs to run it again (it was started by an older Baton). Run its script with 'baton run FILE'.`,
    );
  }
  // A run that continued as new carries its journal so far; the rerun starts from the top.
  const { carry: _carry, resume: _resume, ...input } = earlier;
  if ('failed' in how) return { ...input, resume: source.resume };
  if ('from' in how) {
    const at = source.resume.entries.findIndex((entry) => entry.agentId === how.from);
    if (at < 0) {
      const ids = source.resume.entries.map((entry) => entry.agentId);
      throw new RerunRefused(
        `${workflowId} has no ended agent ${how.from}${ids.length ? `; its agents are ${ids.join(', ')}` : ''}. 'baton status ${workflowId}' lists them.`,
      );
    }
    return { ...input, resume: { ...source.resume, entries: source.resume.entries.slice(0, at), rerunFrom: how.from } };
  }
  return input;
}
