// One way for a test file to make temporary directories: tempDir() creates one under the OS's
// temporary directory and removes it, with all it holds, when the file's tests have finished.
// Call it anywhere in a test file (at the top, in a hook, in a test): the removal hook is
// registered when this module loads, and vitest loads it once for each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const created = new Set<string>();

afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
});

/** A new empty directory, named `${prefix}XXXXXX`, removed after this test file. */
export function tempDir(prefix = 'baton-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.add(dir);
  return dir;
}
