// CLAUDE.md memory as Claude Code reads it: the files that apply to a directory (its own and
// its parents' up to the repository root, each as `CLAUDE.md` and `.claude/CLAUDE.md`), with
// `@path` imports expanded. Unlike Claude Code, nothing outside `root` is ever read: an import
// that leads out of it (`@~/notes.md`, `@../../etc/passwd`, a symlink) is skipped, because a
// repository's files must not make a worker read its own.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { isInside, readSmallFile } from './agent-files.js';

export interface MemoryFile {
  /** The file's real path. */
  file: string;
  text: string;
  kind: 'project' | 'personal' | 'import';
}

/** Claude Code's bound on nested imports. */
export const MAX_IMPORT_DEPTH = 5;
/** A memory file is instructions: past this many characters it is cut, and says so. */
export const MAX_MEMORY_FILE_CHARS = 40_000;

/** The memory files for `dir`, parents first (a closer file is read later, so it has the last word). */
export function projectMemoryFiles(root: string, dir: string): MemoryFile[] {
  const seen = new Set<string>();
  const files: MemoryFile[] = [];
  for (const place of placesBetween(root, dir)) {
    for (const name of ['CLAUDE.md', path.join('.claude', 'CLAUDE.md')]) {
      files.push(...readWithImports(path.join(place, name), root, 'project', seen));
    }
  }
  return files;
}

/**
 * `file` and, depth first, what it imports: each file once (a cycle, or a file imported twice,
 * is read the first time only), at most MAX_IMPORT_DEPTH imports deep, never outside `root`.
 */
export function readWithImports(file: string, root: string, kind: MemoryFile['kind'], seen: Set<string> = new Set(), depth = 0): MemoryFile[] {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return [];
  }
  if (seen.has(real) || !isInside(real, root)) return [];
  const raw = readSmallFile(real, root);
  if (raw === null) return [];
  seen.add(real);
  const text =
    raw.length > MAX_MEMORY_FILE_CHARS ? `${raw.slice(0, MAX_MEMORY_FILE_CHARS)}\n[... cut: ${raw.length - MAX_MEMORY_FILE_CHARS} more characters]` : raw;
  const files: MemoryFile[] = [{ file: real, text, kind: depth === 0 ? kind : 'import' }];
  if (depth >= MAX_IMPORT_DEPTH) return files;
  for (const target of importsOf(raw)) {
    // `~` is the home of whoever reads it: never a checkout's business.
    if (target.startsWith('~')) continue;
    files.push(...readWithImports(path.resolve(path.dirname(real), target), root, kind, seen, depth + 1));
  }
  return files;
}

/** The `@path` imports of a memory file, outside code blocks and code spans, in order. */
export function importsOf(text: string): string[] {
  const prose = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const found: string[] = [];
  for (const match of prose.matchAll(/(?:^|\s)@((?:[^\s\\]|\\ )+)/g)) {
    // A sentence's closing punctuation is not part of the path.
    const target = match[1]!.replace(/\\ /g, ' ').replace(/[.,;:!?)\]]+$/, '');
    if (!found.includes(target)) found.push(target);
  }
  return found;
}

/** `root`, then each directory down to `dir` (which lies inside `root`). */
function placesBetween(root: string, dir: string): string[] {
  const relative = path.relative(root, dir);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return [dir];
  const places = [root];
  let current = root;
  for (const part of relative.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    places.push(current);
  }
  return places;
}
