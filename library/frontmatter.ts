// The `---` YAML header of Claude Code's markdown files (agents, skills). Parsed with `yaml`;
// when that fails, a line-by-line `key: value` reading, because Claude Code's own files often
// hold unquoted colons (`description: Use this agent when: ...`) that strict YAML refuses.
import { parse } from 'yaml';

export interface Frontmatter {
  data: Record<string, unknown>;
  body: string;
  /** Why the header could not be read as YAML, when the line reading was used instead. */
  problem?: string;
}

const HEADER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Splits a markdown file into its frontmatter and body; a file without a header has only a body. */
export function parseFrontmatter(text: string): Frontmatter {
  const match = HEADER.exec(text);
  if (!match) return { data: {}, body: text.trim() };
  const body = text.slice(match[0].length).trim();
  try {
    const data: unknown = parse(match[1]!);
    if (data === null || data === undefined) return { data: {}, body };
    if (typeof data === 'object' && !Array.isArray(data)) return { data: data as Record<string, unknown>, body };
    return { data: {}, body, problem: 'the header is not a mapping of keys to values' };
  } catch (error) {
    return { data: lineByLine(match[1]!), body, problem: (error as Error).message.split('\n')[0] };
  }
}

/** Top-level `key: value` lines, with `- item` lines under a key read as a list. */
function lineByLine(header: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let listKey: string | null = null;
  for (const line of header.split(/\r?\n/)) {
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item && listKey) {
      const list = (data[listKey] ??= []) as string[];
      list.push(unquote(item[1]!));
      continue;
    }
    const pair = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!pair) continue;
    const [, key, value] = pair;
    if (value!.trim() === '') {
      data[key!] = null;
      listKey = key!;
    } else {
      data[key!] = unquote(value!);
      listKey = null;
    }
  }
  return data;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? quoted[2]! : trimmed;
}

/** A `tools`-style field: `Read, Grep`, `Read Grep` or a YAML list; undefined when absent or `*`. */
export function nameList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value.map(String) : String(value).split(/,|\s+(?![^(]*\))/);
  const names = items.map((item) => item.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === '*') return undefined;
  return names;
}
