// What the sandbox refused a command, told to the model (in the tool result) and to the user
// (in the agent's tool-call line, which status and `baton agent` show). Network refusals are
// known for certain (the relay saw them); a refused path is recognised in the output, as the
// error a program printed for a path that exists on the worker but not inside the sandbox, or
// that is read-only there.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatNetAllowance, type NetAllowance } from '../../contract/net-allowance.js';
import { allowanceCovers } from './net-destination.js';

export interface SandboxDenial {
  kind: 'read' | 'write' | 'network';
  /** A path, or `host:port`. */
  target: string;
  /** Why, when it is more than "not allowed" (the relay's refusals: a name resolving to a private address...). */
  reason?: string;
}

export interface SandboxView {
  /** Directories the command sees (system, workspace, scratch...). */
  visible: readonly string[];
  /** Of those, where it may write. */
  writable: readonly string[];
  /** Hidden inside visible directories. */
  masked: readonly string[];
  allowNet: readonly NetAllowance[];
}

const PATH_ERROR =
  /No such file or directory|Permission denied|Read-only file system|Operation not permitted|cannot access|can't create|cannot create|Directory nonexistent|EROFS|EACCES|ENOENT|EPERM/;
const READ_ONLY_ERROR = /Read-only file system|EROFS/;
const WRITE_ERROR = /cannot create|can't create|cannot touch|cannot make directory|Directory nonexistent|open for writing/i;
const ABSOLUTE_PATH = /(?:^|[\s'"`(=:])(\/[^\s'"`:,;()<>]+)/g;
const REFUSED_TCP =
  /(?:ECONNREFUSED|Connection refused|Couldn't connect to server|Failed to connect to)[^\n]*?(\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[0-9a-f:]+\])(?::| port )(\d{1,5})/gi;
const UNRESOLVED =
  /(?:Could not resolve host:?|getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|Temporary failure in name resolution[^\n]*?|Name or service not known[^\n]*?)\s*'?([a-z0-9.-]+\.[a-z]{2,})/gi;

const under = (dir: string, p: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

const MAX_DENIALS = 10;

/** The denials a command's output shows, plus the relay's; at most MAX_DENIALS, the first first. */
export function findDenials(output: string, view: SandboxView, relayDenied: readonly SandboxDenial[] = []): SandboxDenial[] {
  const found = new Map<string, SandboxDenial>();
  const add = (d: SandboxDenial) => {
    if (!found.has(`${d.kind} ${d.target}`)) found.set(`${d.kind} ${d.target}`, d);
  };
  for (const denial of relayDenied) add(denial);
  for (const line of output.split('\n')) {
    if (!PATH_ERROR.test(line)) continue;
    for (const match of line.matchAll(ABSOLUTE_PATH)) {
      // `//host/...` is the rest of a URL, not a path.
      if (match[1]!.startsWith('//')) continue;
      const target = path.normalize(match[1]!.replace(/[.'"]+$/, ''));
      const kind = deniedAccess(target, line, view);
      if (kind) add({ kind, target });
    }
  }
  for (const match of output.matchAll(REFUSED_TCP)) {
    const host = match[1]!.replace(/^\[|\]$/g, '');
    const port = Number(match[2]);
    if (!allowanceCovers(view.allowNet, host, port)) add({ kind: 'network', target: formatNetAllowance({ host, port }) });
  }
  for (const match of output.matchAll(UNRESOLVED)) {
    const host = match[1]!.toLowerCase();
    if (!view.allowNet.some((a) => a.host === host)) add({ kind: 'network', target: host });
  }
  return [...found.values()].slice(0, MAX_DENIALS);
}

// The sandbox has its own of these; only another process's /proc entry is the worker's.
const OWN_PSEUDO_FILES = /^\/(?:dev|proc\/(?:self|thread-self|net|sys|cpuinfo|meminfo|mounts|stat|uptime|version|loadavg))(?:\/|$)/;

function deniedAccess(target: string, line: string, view: SandboxView): 'read' | 'write' | null {
  const readOnlyError = READ_ONLY_ERROR.test(line);
  const writeError = readOnlyError || WRITE_ERROR.test(line);
  if (OWN_PSEUDO_FILES.test(target)) return null;
  if (view.masked.some((m) => under(m, target))) return 'read';
  const visible = view.visible.some((dir) => under(dir, target));
  if (visible) return readOnlyError && !view.writable.some((dir) => under(dir, target)) ? 'write' : null;
  // Hidden by the sandbox only if the worker has it, or the directory it would be made in
  // (not / or /tmp: the sandbox has its own, where a missing file is just missing).
  const parent = path.dirname(target);
  const hidden = existsSync(target) || (parent !== '/' && parent !== '/tmp' && existsSync(parent));
  return hidden ? (writeError ? 'write' : 'read') : null;
}

/** One line per denial for the model, saying what to do about it. */
export function denialMessage(denials: readonly SandboxDenial[]): string {
  const lines = denials.map((d) =>
    d.kind === 'network'
      ? `- network: ${d.target} is not reachable: ${d.reason ?? 'commands reach only the hosts the run allows with --allow-net HOST[:PORT]'}`
      : `- ${d.kind}: ${d.target} is outside what this command may ${d.kind === 'write' ? 'write (the workspace and its temporary directory)' : 'read'}`,
  );
  return `Sandbox denied:\n${lines.join('\n')}\nDo not try to get around the sandbox; work inside the workspace, or say in your answer what access the task needs.`;
}

/** The short form for the agent's tool-call line in status: `sandbox denied read /root/.ssh`. */
export function denialLabel(denials: readonly SandboxDenial[]): string {
  const first = denials[0]!;
  const more = denials.length > 1 ? ` (+${denials.length - 1})` : '';
  return `sandbox denied ${first.kind === 'network' ? 'network' : first.kind} ${first.target}${more}`;
}
