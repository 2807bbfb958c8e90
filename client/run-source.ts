// The script a run was started with, read back from Temporal: the input of the run's first
// history event, decoded with the client's own data converter (so big inputs kept in the blob
// store come back too). What `baton save RUN` writes to a file.
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { INTERPRETER_WORKFLOW_TYPE, type CompiledScript, type RunInput } from '../contract/run-types.js';

/** Thrown when a run's script cannot be read back: unknown run, not a Baton run, or no source kept. */
export class RunSourceError extends Error {
  override name = 'RunSourceError';
  constructor(
    message: string,
    readonly runId: string,
  ) {
    super(message);
  }
}

const GRPC_NOT_FOUND = 5;

/** The compiled script of run `runId` (a workflow id; its latest execution), with its source text. */
export async function fetchRunScript(client: Client, runId: string): Promise<CompiledScript & { source: string }> {
  const input = await fetchRunInput(client, runId);
  const script = input?.script;
  if (!script || typeof script.source !== 'string') {
    throw new RunSourceError(
      `Run ${runId} does not carry its script's source (it was started by an older Baton). Copy ${script?.fileName ?? 'the script file'} into .claude/workflows/ instead.`,
      runId,
    );
  }
  return script as CompiledScript & { source: string };
}

/** The input run `runId` (a workflow id) was started with: of its latest execution, when it continued as new. */
export async function fetchRunInput(client: Client, runId: string): Promise<RunInput | undefined> {
  let response;
  try {
    // One event is enough: the started event carries the input.
    response = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId: runId },
      maximumPageSize: 1,
    });
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) {
      throw new RunSourceError(`No run ${runId}. Give the workflow id that 'baton run' printed (started ...), or see 'baton ls'.`, runId);
    }
    throw error;
  }
  const started = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  const type = started?.workflowType?.name;
  if (!started || type !== INTERPRETER_WORKFLOW_TYPE) {
    throw new RunSourceError(`${runId} is not a Baton run (its workflow type is ${type ?? 'unknown'}, not ${INTERPRETER_WORKFLOW_TYPE}).`, runId);
  }
  return (await decodeFirst(client, started.input?.payloads ?? [])) as RunInput | undefined;
}

async function decodeFirst(client: Client, payloads: Payload[]): Promise<unknown> {
  const { payloadCodecs, payloadConverter } = client.options.loadedDataConverter;
  let decoded = payloads;
  for (const codec of [...payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  const first = decoded[0];
  return first === undefined ? undefined : payloadConverter.fromPayload(first);
}
