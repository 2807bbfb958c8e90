// What one agent's Bash commands may see and reach, worked out on its first command and kept:
// its directory (workspace or worktree) and scratch directory to write, the system and its
// repository's git directory to read, and the run's `--allow-net` list.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseNetAllowance, type NetAllowance } from '../../contract/net-allowance.js';
import { ETC_SECRETS, SYSTEM_DIRS, type SandboxLayout } from './bwrap-arguments.js';

/** Credentials in a home directory; hidden if a visible directory holds them (a workspace that is a home). */
const HOME_SECRETS = [
  '.ssh',
  '.aws',
  '.config',
  '.gnupg',
  '.git-credentials',
  '.netrc',
  '.docker',
  '.kube',
  '.npmrc',
  '.pypirc',
  '.cargo/credentials.toml',
  '.azure',
  '.gcloud',
];

export class AgentSandbox {
  readonly allowNet: NetAllowance[];
  private layout: Omit<SandboxLayout, 'netRelayDir' | 'cwd'> | null = null;

  /** `root`: the directory the agent may write (its workspace, or its worktree's root). */
  constructor(
    readonly root: string,
    allowNet: readonly string[] = [],
  ) {
    this.allowNet = allowNet.map(parseNetAllowance).filter((a): a is NetAllowance => typeof a !== 'string');
  }

  /** `pathVariable`: the PATH commands get; its directories outside /usr are the worker's toolchains. */
  baseLayout(scratchDir: string, pathVariable: string, workerPaths: readonly string[]): Omit<SandboxLayout, 'netRelayDir' | 'cwd'> {
    if (this.layout) return this.layout;
    const writable = [this.root, scratchDir];
    const secretHolders = workerPaths.map((p) => path.resolve(p));
    const inSystem = (dir: string) => SYSTEM_DIRS.some((s) => dir === s || dir.startsWith(`${s}/`));
    const toolchains = [...pathVariable.split(':'), path.dirname(path.dirname(process.execPath))]
      .filter((dir) => path.isAbsolute(dir) && dir !== '/' && !inSystem(dir))
      // Never one that would open a home or BATON_HOME wholesale.
      .filter((dir) => !secretHolders.some((secret) => secret === dir || secret.startsWith(`${dir}/`)))
      .map((dir) => toolchainRoot(dir, secretHolders));
    const readOnly = [...new Set([...gitDirsOf(this.root), ...toolchains])].filter((dir) => !writable.some((w) => dir === w || dir.startsWith(`${w}/`)));
    const visible = [...writable, ...readOnly];
    const insideVisible = (p: string) => visible.some((dir) => p !== dir && p.startsWith(`${dir}/`));
    const masked: string[] = [...ETC_SECRETS];
    for (const holder of secretHolders) {
      // Hiding a home that holds the workspace would hide the workspace: hide its credentials instead.
      const holdsWorkspace = visible.some((dir) => dir === holder || dir.startsWith(`${holder}/`));
      if (!holdsWorkspace && insideVisible(holder)) masked.push(holder);
      for (const name of HOME_SECRETS) {
        const secret = path.join(holder, name);
        if (insideVisible(secret)) masked.push(secret);
      }
    }
    this.layout = { writable, readOnly, masked };
    return this.layout;
  }
}

/** Names under a home that hold credentials or personal data, never offered as a toolchain. */
const NOT_TOOLCHAINS = new Set(['.ssh', '.aws', '.config', '.gnupg', '.docker', '.kube', '.azure', '.gcloud', '.local', '.cache', '.baton']);

/**
 * A toolchain installed in a home (`~/.nvm/...`, `~/.pyenv/shims`, `~/.cargo/bin`) needs more
 * than its bin directory: its shims and libraries live beside it. The home's entry holding the
 * PATH directory is offered whole, unless it is one that holds personal data.
 */
function toolchainRoot(dir: string, homes: readonly string[]): string {
  const home = homes.find((h) => dir.startsWith(`${h}/`));
  if (!home) return dir;
  const first = dir.slice(home.length + 1).split('/')[0]!;
  return NOT_TOOLCHAINS.has(first) ? dir : path.join(home, first);
}

/**
 * The git directory of the repository holding `dir` when it lies outside `dir`: a workspace
 * that is a subdirectory of a repository, or a worktree (whose `.git` file points into the main
 * repository). Read-only, so `git status`, `git diff` and `git log` work; commits are Baton's.
 */
export function gitDirsOf(dir: string): string[] {
  for (let at = dir; ; at = path.dirname(at)) {
    const dotGit = path.join(at, '.git');
    let isDir: boolean;
    try {
      isDir = statSync(dotGit).isDirectory();
    } catch {
      if (at === path.dirname(at)) return [];
      continue;
    }
    if (isDir) return at === dir ? [] : [dotGit];
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!gitdir) return [];
    const admin = path.resolve(at, gitdir);
    let common = admin;
    try {
      common = path.resolve(admin, readFileSync(path.join(admin, 'commondir'), 'utf8').trim());
    } catch {
      // Not a linked worktree: the admin directory is the git directory.
    }
    return [common];
  }
}
