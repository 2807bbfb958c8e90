// `baton up` is idempotent under a lock: two at once must not both find no server and start one
// each (which left two servers and a pid file naming the dead one, so `baton down` missed the
// live one). The lock is a file created exclusively in $BATON_HOME holding the owner's pid; a
// lock whose owner died is taken over. The second `baton up` waits, then finds the stack running.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './process-files.js';

/** Longer than a `baton up` takes (server start, then worker start), so a live owner is waited for. */
const WAIT_MS = 150_000;

export async function withStackLock<T>(home: string, work: () => Promise<T>, say: (line: string) => void): Promise<T> {
  // A first `baton up` on a fresh machine (a new install, an empty HOME) has no $BATON_HOME yet.
  mkdirSync(home, { recursive: true });
  const lockFile = join(home, 'up.lock');
  const deadline = Date.now() + WAIT_MS;
  let told = false;
  for (;;) {
    // Written aside, then linked into place: the lock never exists without its owner's pid.
    const mine = `${lockFile}.${process.pid}`;
    writeFileSync(mine, `${process.pid}\n`);
    try {
      linkSync(mine, lockFile);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(mine, { force: true });
    }
    const owner = ownerOf(lockFile);
    if (owner === null) continue;
    if (!isAlive(owner)) {
      // Its owner died mid-start: take the lock over.
      rmSync(lockFile, { force: true });
      continue;
    }
    if (!told) say(`another 'baton up' (pid ${owner}) is starting this stack; waiting for it`);
    told = true;
    if (Date.now() > deadline) throw new Error(`another 'baton up' (pid ${owner}) still holds ${lockFile}; wait for it, or stop it`);
    await new Promise((r) => setTimeout(r, 250));
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function ownerOf(lockFile: string): number | null {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    // Removed between our attempt and this read: try again.
    return null;
  }
}
