// Failures a user meets in ordinary use and can fix (a bad setting, a bucket that is not there, a
// server that is not up, a bad flag): each carries its exit code, so the CLI prints its message
// and exits with it, one branch for all of them (cli/main.ts). Anything else is a bug.

/** docs/cli.md#runs-exit-codes-and-errors: 0 completed cleanly, 3 completed with failed agents, 1 any other end, 2 usage or compile errors. */
export const EXIT = { ok: 0, otherEnd: 1, usage: 2, agentsFailed: 3 } as const;

/** An error whose message tells the user what to do next; shown without a stack trace. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** What the CLI prints: the message, after `baton: ` unless it already names its command. */
  get cliMessage(): string {
    return `baton: ${this.message}`;
  }
}
