// The short git snapshot Claude Code puts in an agent's first message: the branch, `git status
// --short` (capped) and the last commits. Read with Baton's own git (git-command.ts: no hooks, no
// GIT_* from the worker) and with fsmonitor off, so a repository's config runs nothing.
import { git } from './git-command.js';

/** Status lines past this many are counted, not shown. */
export const MAX_STATUS_LINES = 40;
const RECENT_COMMITS = 5;
const SAFE = ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'status.showUntrackedFiles=normal'];

export interface GitSnapshot {
  /** The repository's top level (a real path), which bounds the CLAUDE.md search. */
  top: string;
  text: string;
}

/** Snapshots taken, by run and checkout: newest last, so the oldest goes first. */
const taken = new Map<string, Promise<GitSnapshot | null>>();
const MAX_TAKEN = 256;

/**
 * The run's snapshot of `dir`, taken once per run and checkout on this worker, as Claude Code takes
 * one per session: three git processes per agent start would cost a fan-out of 16 agents over half
 * a second each on a repository of any size (test/integration/caps.test.ts's refill time).
 */
export function runGitSnapshot(runId: string, dir: string): Promise<GitSnapshot | null> {
  const key = `${runId}\0${dir}`;
  let snapshot = taken.get(key);
  if (!snapshot) {
    snapshot = gitSnapshot(dir);
    taken.set(key, snapshot);
    if (taken.size > MAX_TAKEN) taken.delete(taken.keys().next().value!);
  }
  return snapshot;
}

/** The snapshot of the repository `dir` lies in; null when it lies in none (or git is missing). */
export async function gitSnapshot(dir: string): Promise<GitSnapshot | null> {
  let top: string;
  try {
    top = (await git(dir, [...SAFE, 'rev-parse', '--show-toplevel'])).trim();
  } catch {
    return null;
  }
  const [status, log] = await Promise.all([
    git(dir, [...SAFE, 'status', '--porcelain=v1', '--branch']).catch(() => ''),
    git(dir, [...SAFE, 'log', `-${RECENT_COMMITS}`, '--format=%h %s', '--no-decorate']).catch(() => ''),
  ]);
  const [header = '', ...changes] = status.split('\n').filter(Boolean);
  const shown = changes.slice(0, MAX_STATUS_LINES);
  if (changes.length > shown.length) shown.push(`... and ${changes.length - shown.length} more`);
  const text = [
    'This is the git status at the start of the run. It is a snapshot in time: it does not update as files change.',
    `Current branch: ${branchOf(header)}`,
    '',
    'Status:',
    shown.length > 0 ? shown.join('\n') : '(clean)',
    '',
    'Recent commits:',
    log.trim() || '(none)',
  ].join('\n');
  return { top, text };
}

/** `## main...origin/main [ahead 1]` → `main`; a detached HEAD says so. */
function branchOf(header: string): string {
  const line = header.replace(/^## /, '');
  if (line.startsWith('HEAD (no branch)')) return '(detached HEAD)';
  if (line.startsWith('No commits yet on ')) return line.slice('No commits yet on '.length);
  return line.split('...')[0]!.split(' ')[0] || '(unknown)';
}
