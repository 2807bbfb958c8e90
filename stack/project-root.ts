import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout Baton runs from, found by walking up to its package.json, so the same code
 * works from the TypeScript sources (tests) and from dist/ (the `baton` command).
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'scripts', 'install-temporal.sh'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Baton checkout (package.json with scripts/install-temporal.sh)');
    dir = parent;
  }
  return dir;
}
