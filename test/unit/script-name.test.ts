// Any non-empty meta.name runs (as on Claude Code); ids and saved names use its slug.
import { describe, expect, it } from 'vitest';
import { compileScript } from '../../compiler/index.js';
import { newRunId } from '../../client/run-id.js';
import { slugOf } from '../../contract/script-name.js';

describe.each([
  ['thermo_quality_review', 'thermo-quality-review'],
  ['Bad_Name', 'bad-name'],
  ['reviewChanges', 'review-changes'],
  ['  Review  changes! ', 'review-changes'],
  ['café-audit', 'cafe-audit'],
  ['review-changes', 'review-changes'],
  ['___', 'workflow'],
])('meta.name %j', (name, slug) => {
  it(`has the slug ${slug}`, () => expect(slugOf(name)).toBe(slug));
  it('names run ids by its slug', () => expect(newRunId(name)).toMatch(new RegExp(`^${slug}-\\d{8}-\\d{6}-[a-z0-9]+$`)));
});

describe('compiling meta.name', () => {
  const source = (name: string) => `export const meta = { name: ${JSON.stringify(name)}, description: 'd' }\nreturn 1\n`;

  it('runs a name that is not kebab-case, with a warning naming its slug', async () => {
    const result = await compileScript('s.js', source('thermo_quality_review'));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('"thermo-quality-review"') })]);
    if (result.ok) expect(result.script.warnings).toEqual([expect.stringMatching(/^1:\d+: meta.name "thermo_quality_review" is not kebab-case/)]);
  });

  it('warns about nothing for a kebab-case name', async () => {
    const result = await compileScript('s.js', source('review-changes'));
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('still refuses an empty name', async () => {
    expect(await compileScript('s.js', source('  '))).toMatchObject({
      ok: false,
      errors: [expect.objectContaining({ message: expect.stringContaining('meta.name must not be empty') })],
    });
  });

  it('warns at the key of an agent() option it does not know', async () => {
    const result = await compileScript(
      's.js',
      `export const meta = { name: 'x', description: 'd' }\nawait agent('p', { label: 'l', thinkingLevel: 'high' })\n`,
    );
    expect(result.warnings).toEqual([
      expect.objectContaining({
        line: 2,
        column: 32,
        message: expect.stringContaining('agent() option "thinkingLevel" is not one Baton knows, so it is ignored'),
      }),
    ]);
  });
});
