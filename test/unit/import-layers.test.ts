// No import cycles between Baton's modules, and no module imports one from a layer above it, so a
// module can be read (and changed) knowing only what is below it. Type-only imports count too: a
// cycle of types is still two files that cannot be understood apart.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Lowest first: a directory may import only from its own layer or those before it. */
const LAYERS = [['contract'], ['config'], ['storage'], ['compiler', 'library'], ['activities', 'workflows'], ['client'], ['workers'], ['cli']];
const layerOf = (file: string) => LAYERS.findIndex((dirs) => dirs.includes(file.split('/')[0]!));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name) ? [path] : [];
  });
}

const files = LAYERS.flat().flatMap(sources);
const imports = new Map(
  files.map((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)\.js'/g)]
      .map((m) => relative(root, resolve(root, dirname(file), `${m[1]}.ts`)))
      .filter((target) => files.includes(target));
    return [file, [...new Set(targets)]];
  }),
);

describe('module imports', () => {
  it('form no cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of imports.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('never reach a layer above their own', () => {
    const upward = [...imports].flatMap(([file, targets]) =>
      targets.filter((target) => layerOf(target) > layerOf(file)).map((target) => `${file} -> ${target}`),
    );
    expect(upward).toEqual([]);
  });
});
