// `baton check`'s portability warnings: where a script that runs on Baton would not run on
// Claude Code's runtime (docs/claude-code-differences.md). Warnings only; the script compiles.
import { describe, expect, it } from 'vitest';
import { compileScript } from '../../compiler/index.js';

const META = `export const meta = { name: 'p', description: 'd' }\n`;

async function portability(fileName: string, body: string): Promise<string[]> {
  const result = await compileScript(fileName, META + body);
  if (!result.ok) throw new Error(`did not compile: ${result.errors.map((e) => e.message).join('; ')}`);
  expect(result.warnings).toEqual([]);
  return result.portability.map((d) => `${d.line}:${d.column}: ${d.message.replace('not portable to Claude Code: ', '')}`);
}

describe('portability warnings', () => {
  it('names Date.now(), new Date(), Math.random() and approve() at their line and column', async () => {
    const body = `const t = Date.now()\nconst d = new Date()\nconst r = Math.random()\nconst ok = await approve('go?')\nreturn [t, d, r, ok, new Date(0), Date.UTC(2020, 0)]\n`;
    expect(await portability('s.js', body)).toEqual([
      expect.stringMatching(/^2:11: Claude Code refuses Date\.now\(\)/),
      expect.stringMatching(/^3:11: Claude Code refuses new Date\(\) without an argument/),
      expect.stringMatching(/^4:11: Claude Code refuses Math\.random\(\)/),
      expect.stringMatching(/^5:18: approve\(\) is Baton's own/),
    ]);
  });

  it('names the first TypeScript syntax of a .ts file, at its place in the file', async () => {
    expect(await portability('s.ts', `const files: string[] = args.files\nreturn files\n`)).toEqual([
      expect.stringMatching(/^2:12: TypeScript syntax; Claude Code runs plain JavaScript only/),
    ]);
  });

  it('warns about nothing in a plain script, .ts files without types included', async () => {
    const body = `const xs = await parallel([() => agent('a')])\nreturn { xs, at: new Date(args.now).toISOString() }\n`;
    expect(await portability('s.js', body)).toEqual([]);
    expect(await portability('s.ts', body)).toEqual([]);
  });

  it('does not reach the approval card: the script carries only its own warnings', async () => {
    const result = await compileScript('s.ts', META + `const n: number = Date.now()\nreturn n\n`);
    expect(result.ok && result.script.warnings).toBeUndefined();
    expect(result.ok && result.portability).toHaveLength(2);
  });
});
