// workflows/patches.ts is the one list of patch ids: every patched() call in the interpreter names
// one of them, and every patch marker a recorded history holds is still on the list (an id
// dropped or renamed would make those runs replay the old way no longer).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as patches from '../../workflows/patches.js';
import { readHistoryFixtures } from '../replay/history-fixtures.js';

const WORKFLOWS = fileURLToPath(new URL('../../workflows/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.generated.ts') ? [path] : [];
  });
}

describe('patch ids', () => {
  it('are unique, and each starts with baton-', () => {
    expect(new Set(patches.PATCH_IDS).size).toBe(patches.PATCH_IDS.length);
    for (const id of patches.PATCH_IDS) expect(id).toMatch(/^baton-[a-z-]+$/);
    for (const id of patches.RETIRED_PATCH_IDS) expect(patches.PATCH_IDS).toContain(id);
    const exported = Object.entries(patches)
      .filter(([name]) => name.endsWith('_PATCH'))
      .map(([, id]) => id);
    expect([...exported].sort()).toEqual([...patches.PATCH_IDS].sort());
  });

  it('every patched() call in workflows/ names a constant from patches.ts, imported from there', () => {
    const calls: string[] = [];
    for (const file of sources(WORKFLOWS).filter((path) => !path.endsWith('patches.ts'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bpatched\(([A-Z_]*)\)/g)) {
        const name = match[1]!.trim();
        calls.push(name);
        expect(name in patches && name.endsWith('_PATCH'), `${file}: patched(${name})`).toBe(true);
        expect(text, `${file} imports ${name} from ./patches.js`).toMatch(new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from '\\./patches\\.js'`));
      }
      expect(text, `${file} defines no patch id of its own`).not.toMatch(/=\s*'baton-[a-z-]+'/);
    }
    expect(new Set(calls)).toEqual(new Set(Object.keys(patches).filter((name) => name.endsWith('_PATCH'))));
  });

  it('every patch marker in the recorded histories is still on the list, or retired', () => {
    const recorded = new Set<string>();
    for (const { history } of readHistoryFixtures()) {
      for (const event of history.events ?? []) {
        const marker = event.markerRecordedEventAttributes;
        if (marker?.markerName !== 'core_patch') continue;
        const payload = marker.details?.['patch-data']?.payloads?.[0]?.data;
        if (payload) recorded.add((JSON.parse(Buffer.from(payload).toString('utf8')) as { id: string }).id);
      }
    }
    expect(recorded.size).toBeGreaterThan(0);
    for (const id of recorded) expect([...patches.PATCH_IDS, ...patches.RETIRED_PATCH_IDS]).toContain(id);
  });
});
