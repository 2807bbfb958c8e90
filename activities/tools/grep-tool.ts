// Grep: search file contents with a regular expression, in pure JavaScript so a worker needs
// no ripgrep binary. Output follows ripgrep's shapes, which the model knows from Claude Code.
import { readFile, stat } from 'node:fs/promises';
import { ToolError } from '../agent-errors.js';
import { looksBinary } from './read-tool.js';
import type { AgentTool, ToolContext } from './tool.js';
import { byPath, byRecency, walkFiles, type WalkedFile } from './walk-files.js';

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_LINE_CHARS = 2000;

type OutputMode = 'content' | 'files_with_matches' | 'count';

interface GrepInput {
  pattern: string;
  path?: string;
  glob?: string;
  output_mode?: OutputMode;
  '-i'?: boolean;
  '-n'?: boolean;
  '-A'?: number;
  '-B'?: number;
  '-C'?: number;
  head_limit?: number;
}

export const grepTool: AgentTool<GrepInput> = {
  name: 'Grep',
  readOnly: true,
  description: `A search tool for file contents.
Usage:
- ALWAYS use Grep for search tasks instead of reading every file.
- Supports JavaScript regular expression syntax (e.g. "log.*Error", "function\\\\s+\\\\w+"). Literal special characters need escaping (use "interface\\\\{\\\\}" to find "interface{}").
- Patterns match within a single line.
- Filter files with the glob parameter (e.g. "*.js", "**/*.tsx", "*.{ts,tsx}"); a glob without "/" matches file names in any directory.
- Output modes: "content" shows matching lines (path:line:text, supports -A/-B/-C context and -n line numbers), "files_with_matches" shows only file paths, newest first (default), "count" shows match counts per file.
- Paths are relative to the workspace root. node_modules and .git directories and binary files are skipped.
- Use head_limit to see only the first N lines/entries of a large result.`,
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', minLength: 1, description: 'The regular expression pattern to search for in file contents' },
      path: {
        type: 'string',
        description: 'File or directory to search in, relative to the workspace (or absolute inside it). Defaults to the whole workspace.',
      },
      glob: { type: 'string', description: 'Glob pattern to filter files (e.g. "*.js", "*.{ts,tsx}")' },
      output_mode: {
        type: 'string',
        enum: ['content', 'files_with_matches', 'count'],
        description: 'Output mode: "content" shows matching lines, "files_with_matches" shows file paths (default), "count" shows match counts.',
      },
      '-i': { type: 'boolean', description: 'Case insensitive search' },
      '-n': { type: 'boolean', description: 'Show line numbers in output. Requires output_mode: "content". Defaults to true.' },
      '-A': { type: 'integer', minimum: 0, description: 'Number of lines to show after each match. Requires output_mode: "content".' },
      '-B': { type: 'integer', minimum: 0, description: 'Number of lines to show before each match. Requires output_mode: "content".' },
      '-C': { type: 'integer', minimum: 0, description: 'Number of lines to show before and after each match. Requires output_mode: "content".' },
      head_limit: { type: 'integer', minimum: 1, description: 'Limit output to the first N lines/entries.' },
    },
    required: ['pattern'],
  },

  async run(input, ctx) {
    const regex = compilePattern(input.pattern, input['-i'] === true);
    const files = await filesToSearch(input, ctx);
    const mode = input.output_mode ?? 'files_with_matches';
    const matches: Array<{ file: WalkedFile; lines: string[]; hits: number[] }> = [];
    for (const [i, file] of files.entries()) {
      if (i % 500 === 499) ctx.heartbeat();
      const lines = await textLines(file.absolute);
      if (!lines) continue;
      const hits: number[] = [];
      lines.forEach((line, index) => regex.test(line) && hits.push(index));
      if (hits.length > 0) matches.push({ file, lines, hits });
    }
    if (matches.length === 0) return mode === 'files_with_matches' ? 'No files found' : 'No matches found';

    const limit = (out: string[]) => limitLines(out, input.head_limit);
    if (mode === 'files_with_matches') {
      const shown = matches
        .map((m) => m.file)
        .sort(byRecency)
        .map((f) => f.shown);
      return [`Found ${matches.length} file${matches.length === 1 ? '' : 's'}`, ...limit(shown)].join('\n');
    }
    matches.sort((a, b) => byPath(a.file, b.file));
    if (mode === 'count') {
      const total = matches.reduce((n, m) => n + m.hits.length, 0);
      const counts = limit(matches.map((m) => `${m.file.shown}:${m.hits.length}`));
      return `${counts.join('\n')}\n\nFound ${total} total occurrence${total === 1 ? '' : 's'} across ${matches.length} file${matches.length === 1 ? '' : 's'}.`;
    }
    const before = input['-B'] ?? input['-C'] ?? 0;
    const after = input['-A'] ?? input['-C'] ?? 0;
    const out = matches.flatMap((m) => contentLines(m.file.shown, m.lines, m.hits, before, after, input['-n'] !== false));
    return limit(out).join('\n');
  },
};

function compilePattern(pattern: string, ignoreCase: boolean): RegExp {
  try {
    // `u` keeps \p{...} and astral characters working as in ripgrep.
    return new RegExp(pattern, ignoreCase ? 'iu' : 'u');
  } catch {
    try {
      return new RegExp(pattern, ignoreCase ? 'i' : '');
    } catch (e) {
      throw new ToolError(`Invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }
}

async function filesToSearch(input: GrepInput, ctx: ToolContext): Promise<WalkedFile[]> {
  const base = await ctx.workspace.resolve(input.path ?? '.');
  const info = await stat(base).catch(() => {
    throw new ToolError(`Path does not exist: ${input.path}`);
  });
  if (info.isFile()) {
    return [{ absolute: base, shown: ctx.workspace.display(base), mtimeMs: info.mtimeMs }];
  }
  const glob = input.glob ?? '**/*';
  // ripgrep's --glob: a pattern without a slash matches the file name at any depth.
  return walkFiles(base, glob.includes('/') ? glob : `**/${glob}`, ctx);
}

async function textLines(file: string): Promise<string[] | null> {
  const info = await stat(file).catch(() => null);
  if (!info || info.size > MAX_FILE_BYTES || (await looksBinary(file).catch(() => true))) return null;
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** ripgrep's layout: `path:12:match`, `path-13-context`, `--` between separate groups. */
function contentLines(shown: string, lines: string[], hits: number[], before: number, after: number, numbers: boolean) {
  const isHit = new Set(hits);
  const wanted = new Set<number>();
  for (const hit of hits) {
    for (let i = Math.max(0, hit - before); i <= Math.min(lines.length - 1, hit + after); i++) wanted.add(i);
  }
  const out: string[] = [];
  let previous = -1;
  for (const i of [...wanted].sort((a, b) => a - b)) {
    if ((before > 0 || after > 0) && previous >= 0 && i > previous + 1) out.push('--');
    const sep = isHit.has(i) ? ':' : '-';
    const text = lines[i]!.length > MAX_LINE_CHARS ? `${lines[i]!.slice(0, MAX_LINE_CHARS)}… [line truncated]` : lines[i]!;
    out.push(numbers ? `${shown}${sep}${i + 1}${sep}${text}` : `${shown}${sep}${text}`);
    previous = i;
  }
  return out;
}

function limitLines(lines: string[], headLimit: number | undefined): string[] {
  if (headLimit === undefined || lines.length <= headLimit) return lines;
  return [...lines.slice(0, headLimit), `(${lines.length - headLimit} more not shown; raise head_limit or narrow the search.)`];
}
