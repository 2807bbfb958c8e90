// The bubblewrap command line for one sandboxed Bash command. bwrap starts from an empty root
// and shows the command only what is bound here, so everything not listed (homes, BATON_HOME,
// other agents' worktrees, the rest of /tmp, /var, /run) simply does not exist inside.
import { lstatSync, readlinkSync } from 'node:fs';

/** What one command may see; every path absolute and as the command will use it. */
export interface SandboxLayout {
  /** Read and write: the workspace (or the agent's worktree) and its scratch directory. */
  writable: readonly string[];
  /** Read only, beyond the system: the repository's git directory, toolchains outside /usr. */
  readOnly: readonly string[];
  /** Hidden even where a bound directory holds them: credentials, BATON_HOME, /etc secrets. */
  masked: readonly string[];
  /** A host directory of relay sockets, bound at NET_RELAY_MOUNT; null: no network at all. */
  netRelayDir: string | null;
  cwd: string;
}

/** Where the relay's sockets appear inside the sandbox. */
export const NET_RELAY_MOUNT = '/run/baton-net';

/**
 * The system a command may read: programs, libraries, configuration. Not /opt, /srv or /var,
 * where a worker's own install and data tend to live; a toolchain there is offered through PATH.
 */
export const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'] as const;

/** Secrets of the machine under /etc: host keys, password hashes, TLS private keys. */
export const ETC_SECRETS = [
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/shadow-',
  '/etc/gshadow-',
  '/etc/ssh',
  '/etc/ssl/private',
  '/etc/sudoers',
  '/etc/sudoers.d',
  '/etc/security/opasswd',
] as const;

type Kind = 'dir' | 'file' | 'symlink' | null;

function kindOf(file: string): Kind {
  try {
    const stats = lstatSync(file);
    return stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

export function bwrapArguments(layout: SandboxLayout, command: readonly string[], kind: (file: string) => Kind = kindOf): string[] {
  const args = [
    // New user, pid, network, ipc, uts and cgroup namespaces: the command sees only its own
    // processes (so /proc holds nothing of the worker's) and, without a relay, no network but lo.
    '--unshare-all',
    // Dies with the worker; and a new session, so it cannot push keystrokes into a terminal.
    '--die-with-parent',
    '--new-session',
    // A worker running as root would otherwise keep its capabilities in the namespace.
    '--cap-drop',
    'ALL',
  ];
  for (const dir of SYSTEM_DIRS) {
    const found = kind(dir);
    // On a usr-merged system /bin, /lib... are symlinks into /usr: recreate them as such.
    if (found === 'symlink') args.push('--symlink', readlinkSync(dir), dir);
    else if (found === 'dir') args.push('--ro-bind', dir, dir);
  }
  // A fresh /proc of the new pid namespace, a minimal /dev, and a private /tmp for tools that
  // ignore TMPDIR (gone when the command ends; TMPDIR itself is the agent's scratch directory).
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  for (const dir of layout.readOnly) if (kind(dir) !== null) args.push('--ro-bind', dir, dir);
  for (const dir of layout.writable) args.push('--bind', dir, dir);
  for (const secret of layout.masked) {
    const found = kind(secret);
    if (found === 'dir') args.push('--tmpfs', secret, '--remount-ro', secret);
    else if (found === 'file') args.push('--ro-bind', '/dev/null', secret);
  }
  if (layout.netRelayDir !== null) args.push('--bind', layout.netRelayDir, NET_RELAY_MOUNT);
  // bwrap made the directories above each mount point on its own root; read-only, a write
  // beside the workspace fails as it should instead of landing in a directory nobody sees.
  // (Under /tmp it lands in the private /tmp, which never reaches the worker either.)
  args.push('--remount-ro', '/');
  args.push('--chdir', layout.cwd, '--', ...command);
  return args;
}
