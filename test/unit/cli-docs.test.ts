// docs/cli.md's reference is generated from the commander definitions: a command or flag added,
// renamed or reworded without regenerating the page fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliProgram, REFERENCE_END, REFERENCE_START, renderCliReference } from '../../cli/cli-reference.js';

const page = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

describe('docs/cli.md', () => {
  it('holds the reference of every command as the CLI defines it today', async () => {
    const program = await cliProgram();
    const generated = page.slice(page.indexOf(REFERENCE_START) + REFERENCE_START.length, page.indexOf(REFERENCE_END));
    expect(generated.trim(), 'run `npm run build && node scripts/gen-cli-docs.mjs` and commit docs/cli.md').toBe(renderCliReference(program).trim());
    for (const command of program.commands) expect(generated).toContain(`### baton ${command.name()}`);
  });
});
