// The environment a Bash command sees: built up from an allowlist, never the worker's
// environment minus a denylist, because the worker holds the Anthropic key, Temporal
// credentials and whatever its operator exported, and a denylist misses the next one.
import { mkdir } from 'node:fs/promises';

/** Copied from the worker when set: what ordinary tools need to find programs and print text. */
export const BASH_ENV_ALLOWLIST = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'USER', 'LOGNAME'] as const;

/** A name that looks like it holds a secret is dropped even if a future allowlist names it. */
export const CREDENTIAL_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|COOKIE|SESSION/i;

const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * The environment for one agent's Bash commands. HOME and TMPDIR are the agent's private
 * scratch directory: tools that write caches or dotfiles (npm, git config) then neither touch
 * the worker's home nor leave files in the workspace, where a worktree commit would pick them up.
 */
export function bashEnvironment(scratchDir: string, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BASH_ENV_ALLOWLIST) {
    const value = source[name];
    if (value !== undefined && !CREDENTIAL_NAME.test(name)) env[name] = value;
  }
  return {
    PATH: FALLBACK_PATH,
    LANG: 'C.UTF-8',
    ...env,
    HOME: scratchDir,
    TMPDIR: scratchDir,
    SHELL: '/bin/bash',
    // No colours, no pagers, no interactive prompts: nobody is at the terminal.
    TERM: 'dumb',
    NO_COLOR: '1',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    // npm's update check would dial its registry on every run: a connection the sandbox refuses
    // (and reports) whenever the run allows any host, for a notice nobody reads.
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  };
}

/** Makes the agent's scratch directory on first use, private to this user. */
export async function ensureScratchDir(scratchDir: string): Promise<void> {
  try {
    await mkdir(scratchDir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
