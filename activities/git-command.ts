// git as the worker runs it for its own bookkeeping (worktrees, commits), never for the model:
// no prompts, no pagers, no hooks, and no GIT_* variables from the worker's environment
// redirecting it to another repository.
import { execFile } from 'node:child_process';

/** A git command that exited non-zero, or could not start (`code` ENOENT: git is not installed). */
export class GitCommandFailed extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly code: number | string | undefined,
  ) {
    super(`git ${args.join(' ')} failed${code === undefined ? '' : ` (${code})`}: ${stderr.trim() || 'no output'}`);
    this.name = 'GitCommandFailed';
  }
}

/** `-c` options that make Baton the author and committer whatever the worker's git config says. */
export const BATON_IDENTITY = ['-c', 'user.name=baton', '-c', 'user.email=baton@localhost', '-c', 'commit.gpgsign=false'];

/**
 * Set on every command, over whatever the worker's or a repository's config says: git runs no
 * program Baton did not choose. Hooks are the repository owner's, written for humans committing
 * (and `core.hooksPath` in a worker's config could point into a checkout, at hooks a repository
 * ships); an fsmonitor is a program too; submodules are fetched from URLs the repository names,
 * only when a run asks; `ext::` URLs run commands. Filter and diff drivers a repository's
 * `.gitattributes` names are switched off in the cache's `info/attributes` (repo-cache.ts).
 */
export const NOTHING_RUNS = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'submodule.recurse=false', '-c', 'protocol.ext.allow=never'];

/** `env` adds variables of Baton's own choosing (GIT_INDEX_FILE) after the worker's GIT_* are removed. */
export function git(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const full = [...NOTHING_RUNS, ...args];
  return new Promise((resolve, reject) => {
    execFile('git', full, { cwd, env: { ...gitEnvironment(), ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new GitCommandFailed(args, String(stderr || error.message), (error as NodeJS.ErrnoException).code));
      else resolve(String(stdout));
    });
  });
}

function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('GIT_')) env[name] = value;
  // English messages, so the errors Baton reports read the same on every worker.
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' };
}
