import type { RunReport } from '../contract/run-types.js';
import { EXIT, UserError } from '../contract/user-error.js';

export { EXIT };

export function exitCodeFor(report: RunReport): number {
  if (report.status !== 'completed') return EXIT.otherEnd;
  return report.agents.failed > 0 ? EXIT.agentsFailed : EXIT.ok;
}

/** A UserError raised by a command, whose message is printed as it is (it names its command). */
export class CliError extends UserError {
  override name = 'CliError';
  override get cliMessage(): string {
    return this.message;
  }
}
