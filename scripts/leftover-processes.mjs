#!/usr/bin/env node
// CI's check that the test run ended every process it started (`.ci/run`):
//   node scripts/leftover-processes.mjs snapshot FILE   before the run: the processes alive now
//   node scripts/leftover-processes.mjs check FILE [--end]
//                                                       after it: fails, listing them, when a process
//                                                       started since is still alive; --end ends them
// "Started since" is read from /proc (Linux); the checker and its ancestors are left out. Meant for a
// machine that runs nothing else meanwhile (CI): a process another user of the machine started
// during the run would count too, so only Baton's kind are counted (node, temporal, weed, socat,
// bwrap, git daemons, chromium).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const KINDS = /(^|\/)(node|temporal|weed|socat|bwrap|git|chromium|chrome)(\s|$)|baton/;

function processes() {
  const list = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Fields after the command (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      list.push({ pid: Number(name), ppid: Number(fields[1]), start: Number(fields[19]), cmd });
    } catch {
      // Gone while listed.
    }
  }
  return list;
}

function ancestorsOfSelf(all) {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const mine = new Set();
  for (let pid = process.pid; pid > 0 && !mine.has(pid); pid = byPid.get(pid)?.ppid ?? 0) mine.add(pid);
  return mine;
}

const [mode, file, flag] = process.argv.slice(2);
if (mode === 'snapshot' && file) {
  const all = processes();
  writeFileSync(file, JSON.stringify({ pids: all.map((p) => p.pid), latestStart: Math.max(...all.map((p) => p.start)) }));
} else if (mode === 'check' && file) {
  const before = JSON.parse(readFileSync(file, 'utf8'));
  const known = new Set(before.pids);
  const all = processes();
  const mine = ancestorsOfSelf(all);
  const left = all.filter((p) => !known.has(p.pid) && !mine.has(p.pid) && p.start >= before.latestStart && p.cmd && KINDS.test(p.cmd));
  // Silent when clean: the run's last line stays the test count.
  if (left.length > 0) {
    console.log(`${left.length} process(es) started by the run outlived it (a test did not end what it started):`);
    for (const p of left) console.log(`  pid ${p.pid}: ${p.cmd.slice(0, 200)}`);
    // With --end (CI) they are ended here, so the machine is clean for the next run; the run still fails.
    for (const p of flag === '--end' ? left : []) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    process.exitCode = 1;
  }
} else {
  console.error('usage: leftover-processes.mjs snapshot|check FILE');
  process.exitCode = 2;
}
