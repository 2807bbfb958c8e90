import type { RunReport } from '../contract/run-types.js';

/** docs/cli.md#runs-exit-codes-and-errors: 0 completed cleanly, 3 completed with failed agents, 1 any other end, 2 usage or compile errors. */
export const EXIT = { ok: 0, otherEnd: 1, usage: 2, agentsFailed: 3 } as const;

export function exitCodeFor(report: RunReport): number {
  if (report.status !== 'completed') return EXIT.otherEnd;
  return report.agents.failed > 0 ? EXIT.agentsFailed : EXIT.ok;
}

/** An error the CLI reports as one clean line with its exit code, without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
