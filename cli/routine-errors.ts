// The failures a user meets in ordinary use (an unknown run, a server that is not up, a query no
// worker answers), each as one or two lines saying what to do next, with its exit code (docs/cli.md#runs-exit-codes-and-errors).
// Anything else is a bug: one line, and its stack only with BATON_DEBUG=1.
// Recognised by name, not class: this module loads with every command, and importing the
// Temporal client here would undo the CLI's lazy loading (cli/command-table.ts).
import { EXIT } from './exit-codes.js';

export interface RoutineError {
  message: string;
  exitCode: number;
}

/** gRPC status codes worth naming (grpc/status.proto). */
const GRPC = { deadlineExceeded: 4, notFound: 5, unavailable: 14 } as const;

export function routineError(error: unknown): RoutineError | null {
  const name = error instanceof Error ? error.name : '';
  // client/connection.ts's ServerUnreachable: its message already says how to start a server.
  if (name === 'ServerUnreachable') return { message: `baton: ${messageOf(error)}`, exitCode: EXIT.otherEnd };
  if (name === 'WorkflowNotFoundError') {
    const id = (error as { workflowId?: string }).workflowId ?? '';
    return { message: `baton: no run with id ${id} on this server. 'baton ls' lists recent runs.`, exitCode: EXIT.otherEnd };
  }
  if (name === 'NamespaceNotFoundError') {
    const namespace = (error as { namespace?: string }).namespace ?? '';
    return { message: `baton: the Temporal namespace ${namespace} does not exist; set TEMPORAL_NAMESPACE to one that does.`, exitCode: EXIT.usage };
  }
  const code = grpcCode(error);
  if (code === GRPC.unavailable) {
    return { message: "baton: lost the connection to Temporal. Is the server still up? ('baton up' starts the local one.)", exitCode: EXIT.otherEnd };
  }
  if (code === GRPC.deadlineExceeded && /query/i.test(messageOf(error))) {
    return { message: 'baton: no worker answered the run\'s query in time. Start one with \'baton worker\' (or \'baton up\'), then try again.', exitCode: EXIT.otherEnd };
  }
  if (code === GRPC.notFound) return { message: `baton: not found: ${firstLine(messageOf(error))}. 'baton ls' lists recent runs.`, exitCode: EXIT.otherEnd };
  return null;
}

/** How an unexpected error is shown: one line and where the stack is; the stack itself with BATON_DEBUG=1. */
export function unexpectedError(error: unknown, debug: boolean): string {
  if (debug) return error instanceof Error ? `baton: ${error.stack ?? error.message}` : `baton: ${String(error)}`;
  return `baton: unexpected error: ${firstLine(messageOf(error))}\n(run again with BATON_DEBUG=1 to see where; please report it with that output)`;
}

function grpcCode(error: unknown): number | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
