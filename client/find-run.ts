// docs/cli.md#runs-exit-codes-and-errors: `RUN` is the workflow id, and Temporal's run id (the `runId` of `--json` output) is
// accepted too. A run id is a UUID no workflow id of Baton's looks like, so it is looked up in
// Temporal's visibility store; anything else is taken as the workflow id it is.
import type { Client } from '@temporalio/client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The workflow id of `run`, given either the workflow id or one of its Temporal run ids. */
export async function workflowIdOf(client: Client, run: string): Promise<string> {
  const id = run.trim();
  if (!UUID.test(id)) return id;
  // Visibility is eventually consistent (about a second behind with Elasticsearch): a run
  // started a moment ago may not be listed yet, so an unknown run id is looked up a few times.
  for (const waitMs of RUN_ID_LOOKUP_WAITS_MS) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    for await (const info of client.workflow.list({ query: `RunId = "${id}"`, pageSize: 1 })) return info.workflowId;
  }
  // Not a run id this server knows: perhaps a workflow id after all, and the caller says if not.
  return id;
}

const RUN_ID_LOOKUP_WAITS_MS = [0, 250, 500, 1000];
