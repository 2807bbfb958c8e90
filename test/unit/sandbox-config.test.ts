// The sandbox's configuration surfaces: `--allow-net` and `allowNet` (CLI, config file, agent()
// option, which only narrows), and the bubblewrap command line the layout becomes.
import { lstatSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bwrapArguments } from '../../activities/sandbox/bwrap-arguments.js';
import { gitDirsOf } from '../../activities/sandbox/agent-sandbox.js';
import { findDenials } from '../../activities/sandbox/sandbox-denials.js';
import { parseRunFlags, runOptionsFrom } from '../../cli/run-flags.js';
import { loadSettings } from '../../config/settings.js';
import { narrowNetAllowances, netAllows, parseNetAllowance } from '../../contract/net-allowance.js';
import { parseAgentOptions } from '../../workflows/agent-options.js';

describe('--allow-net entries', () => {
  it.each([
    ['registry.example.org', { host: 'registry.example.org', port: null }],
    ['Registry.Example.org:443', { host: 'registry.example.org', port: 443 }],
    ['127.0.0.1:5432', { host: '127.0.0.1', port: 5432 }],
    ['localhost:8080', { host: 'localhost', port: 8080 }],
    ['[::1]:6379', { host: '::1', port: 6379 }],
    ['10.0.0.7', { host: '10.0.0.7', port: null }],
    ['10.0.0.0/8:443', { host: '10.0.0.0/8', port: 443 }],
    ['[fd00::/8]:443', { host: 'fd00::/8', port: 443 }],
  ])('reads %s', (text, expected) => {
    expect(parseNetAllowance(text)).toEqual(expected);
  });

  it.each([
    ['', 'is not a host'],
    ['http://example.org', 'is not a host'],
    ['example.org:0', 'has no valid port'],
    ['example.org:70000', 'has no valid port'],
    ['exa mple.org', 'is not a host'],
    ['127.0.0.1', 'names this machine without a port'],
    ['localhost', 'names this machine without a port'],
    ['10.0.0.0/33:443', 'is not a host'],
    ['300.1.2.3:80', 'is not a host'],
    ['127.1:80', 'is not a host'],
    ['2130706433:80', 'is not a host'],
    ['example.org.:443', 'is not a host'],
    ['exa%2emple.org', 'is not a host'],
  ])('refuses %j, saying why', (text, message) => {
    expect(parseNetAllowance(text)).toContain(message);
  });

  it('allows exactly the listed host and port, or every port of a host listed without one', () => {
    const list = [parseNetAllowance('127.0.0.1:5432'), parseNetAllowance('example.org')].filter((a) => typeof a !== 'string');
    expect(netAllows(list, '127.0.0.1', 5432)).toBe(true);
    expect(netAllows(list, '127.0.0.1', 5433)).toBe(false);
    expect(netAllows(list, 'Example.org', 22)).toBe(true);
    expect(netAllows(list, 'other.org', 443)).toBe(false);
  });

  it("an agent's allowNet keeps only what its run allows", () => {
    expect(narrowNetAllowances(['example.org', '127.0.0.1:5432'], ['example.org:443', '127.0.0.1:5432', '127.0.0.1:6379', 'other.org'])).toEqual({
      kept: ['example.org:443', '127.0.0.1:5432'],
      dropped: ['127.0.0.1:6379', 'other.org'],
    });
    expect(narrowNetAllowances(['example.org:443'], ['example.org'])).toEqual({ kept: [], dropped: ['example.org'] });
  });

  it('is checked as agent() option allowNet', () => {
    expect(parseAgentOptions(JSON.stringify({ allowNet: ['127.0.0.1:5432'] })).options).toEqual({ allowNet: ['127.0.0.1:5432'] });
    expect(() => parseAgentOptions(JSON.stringify({ allowNet: '127.0.0.1:5432' }))).toThrow(
      'agent() option "allowNet" must be an array of HOST[:PORT] entries',
    );
    expect(() => parseAgentOptions(JSON.stringify({ allowNet: ['localhost'] }))).toThrow('allowNet');
  });

  it('comes from --allow-net and the config file, once each', async () => {
    expect(() => parseRunFlags({ allowNet: ['http://example.org'] })).toThrow('--allow-net: "http://example.org" is not a host');
    const home = await mkdtemp(path.join(tmpdir(), 'baton-allow-net-'));
    try {
      await writeFile(path.join(home, 'config.json'), JSON.stringify({ allowNet: ['registry.example.org:443'] }));
      const settings = loadSettings({ BATON_HOME: home });
      expect(settings.allowNet).toEqual(['registry.example.org:443']);
      const options = runOptionsFrom(parseRunFlags({ allowNet: ['127.0.0.1:5432', 'registry.example.org:443'] }), settings, home);
      expect(options.allowNet).toEqual(['registry.example.org:443', '127.0.0.1:5432']);
      await writeFile(path.join(home, 'config.json'), JSON.stringify({ allowNet: ['127.0.0.1'] }));
      expect(() => loadSettings({ BATON_HOME: home })).toThrow(/"allowNet.0": a host agents' Bash may reach/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('bubblewrap arguments', () => {
  const kinds: Record<string, 'dir' | 'file' | 'symlink'> = {
    '/usr': 'dir',
    '/etc': 'dir',
    // As on this machine: usr-merged systems have /bin -> usr/bin, others a directory.
    '/bin': lstatSync('/bin').isSymbolicLink() ? 'symlink' : 'dir',
    '/etc/shadow': 'file',
    '/etc/ssh': 'dir',
    '/home/w/.ssh': 'dir',
  };
  const args = bwrapArguments(
    {
      writable: ['/work/ws', '/tmp/scratch'],
      readOnly: ['/work/.git'],
      masked: ['/etc/shadow', '/etc/ssh', '/home/w/.ssh', '/nowhere'],
      netRelayDir: null,
      cwd: '/work/ws',
    },
    ['/bin/bash', '-c', 'echo hi'],
    (file) => kinds[file] ?? (file.startsWith('/work') ? 'dir' : null),
  );
  const joined = args.join(' ');

  it('isolates every namespace, drops capabilities and dies with the worker', () => {
    expect(args.slice(0, 6)).toEqual(['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--ro-bind']);
    expect(joined).not.toContain('--share-net');
  });

  it('shows the system read-only, its own /proc, a private /tmp, and writes only the workspace and scratch directory', () => {
    expect(joined).toContain('--ro-bind /usr /usr');
    expect(args.some((a, i) => (a === '--symlink' || a === '--ro-bind') && args[i + 2] === '/bin')).toBe(true);
    expect(joined).toContain('--proc /proc --dev /dev --tmpfs /tmp');
    expect(joined).toContain('--ro-bind /work/.git /work/.git');
    expect(args.filter((a) => a === '--bind')).toHaveLength(2);
    expect(joined).toContain('--bind /work/ws /work/ws --bind /tmp/scratch /tmp/scratch');
    expect(joined).toContain('--remount-ro /');
    expect(args.slice(-6)).toEqual(['--chdir', '/work/ws', '--', '/bin/bash', '-c', 'echo hi']);
  });

  it('hides secrets inside what it shows, and skips those that do not exist', () => {
    expect(joined).toContain('--ro-bind /dev/null /etc/shadow');
    expect(joined).toContain('--tmpfs /etc/ssh --remount-ro /etc/ssh');
    expect(joined).toContain('--tmpfs /home/w/.ssh');
    expect(joined).not.toContain('/nowhere');
  });

  it("finds the git directory of a workspace inside a repository, and a worktree's main repository", async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'baton-gitdirs-'));
    try {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(path.join(repo, '.git', 'worktrees', 'a1'), { recursive: true });
      await writeFile(path.join(repo, '.git', 'worktrees', 'a1', 'commondir'), '../..\n');
      await mkdir(path.join(repo, 'pkg'));
      await mkdir(path.join(repo, 'wt', 'sub'), { recursive: true });
      await writeFile(path.join(repo, 'wt', '.git'), `gitdir: ${path.join(repo, '.git', 'worktrees', 'a1')}\n`);
      expect(gitDirsOf(repo)).toEqual([]);
      expect(gitDirsOf(path.join(repo, 'pkg'))).toEqual([path.join(repo, '.git')]);
      expect(gitDirsOf(path.join(repo, 'wt', 'sub'))).toEqual([path.join(repo, '.git')]);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});

describe('sandbox denials in a command output', () => {
  const view = { visible: ['/usr', '/etc', '/work/ws'], writable: ['/work/ws'], masked: ['/etc/shadow'], allowNet: [{ host: '127.0.0.1', port: 5432 }] };

  it('names paths the worker has but the sandbox hides or keeps read-only, and refused hosts', () => {
    const output = [
      'cat: /etc/shadow: Permission denied',
      "touch: cannot touch '/usr/local/x': Read-only file system",
      'sh: 1: cannot create /var/tmp/x: Directory nonexistent',
      "curl: (7) Failed to connect to 127.0.0.1 port 6379 after 0 ms: Couldn't connect to server",
    ].join('\n');
    expect(findDenials(output, view, [{ kind: 'network', target: 'example.org:443' }])).toEqual([
      { kind: 'network', target: 'example.org:443' },
      { kind: 'read', target: '/etc/shadow' },
      { kind: 'write', target: '/usr/local/x' },
      { kind: 'write', target: '/var/tmp/x' },
      { kind: 'network', target: '127.0.0.1:6379' },
    ]);
  });

  it('does not count what is simply missing, inside the workspace or the private /tmp, or an allowed port that is down', () => {
    const output = [
      'cat: /work/ws/missing.txt: No such file or directory',
      'cat: /tmp/never-made-here.txt: No such file or directory',
      "ls: cannot access '/nonexistent-top-level': No such file or directory",
      'Error: connect ECONNREFUSED 127.0.0.1:5432',
      'fetch failed: Permission denied for http://example.org/x',
    ].join('\n');
    expect(findDenials(output, view)).toEqual([]);
  });
});
