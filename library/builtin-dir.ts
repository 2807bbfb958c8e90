// The workflows shipped with Baton live in builtin-workflows/ at the checkout's root; this file
// runs from library/ (sources, tests) and from dist/library/ (the build), so it walks up to it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILTIN_WORKFLOWS_FOLDER = 'builtin-workflows';

let found: string | undefined;

/** The absolute path of builtin-workflows/. */
export function builtinWorkflowsDir(): string {
  if (found !== undefined) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(join(dir, 'package.json')) && existsSync(join(dir, BUILTIN_WORKFLOWS_FOLDER)))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Baton's ${BUILTIN_WORKFLOWS_FOLDER}/ above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  found = join(dir, BUILTIN_WORKFLOWS_FOLDER);
  return found;
}
