// Claude Code's agent files (`.claude/agents/*.md`) and skills (`.claude/skills/NAME/SKILL.md`):
// frontmatter to definitions. Only the keys Baton honours are read; every other key (hooks,
// permissionMode, mcpServers, color...) is ignored and named, so `baton check` can warn. Nothing
// in a file can add a tool or a permission: `tools` and `skills` only ever narrow (docs/agents.md).
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AgentDefinition, AgentTypeSource, SkillFile } from '../contract/agent-context.js';
import { nameList, parseFrontmatter } from './frontmatter.js';

const HONOURED_AGENT_KEYS = ['name', 'description', 'tools', 'disallowedTools', 'model', 'maxTurns', 'skills'];
/** Larger files are skipped: an agent's prompt, or a skill, is instructions, not data. */
export const MAX_AGENT_FILE_CHARS = 200_000;

/** One agent file's text as a definition; `stem` is the file name without `.md` (the name when the header has none). */
export function parseAgentFile(text: string, stem: string, source: AgentTypeSource, shownPath: string): { definition: AgentDefinition; warnings: string[] } {
  const { data, body, problem } = parseFrontmatter(text);
  const warnings: string[] = problem ? [`${shownPath}: the frontmatter is not valid YAML (${problem}); read line by line instead`] : [];
  const name = typeof data.name === 'string' && data.name.trim() !== '' ? data.name.trim() : stem;
  const definition: AgentDefinition = { name, description: stringOf(data.description), source, path: shownPath, prompt: body };
  const tools = nameList(data.tools);
  if (tools) definition.tools = tools;
  const disallowed = nameList(data.disallowedTools);
  if (disallowed) definition.disallowedTools = disallowed;
  const model = stringOf(data.model);
  if (model !== '' && model !== 'inherit') definition.model = model;
  if (data.maxTurns !== undefined) {
    const turns = Number(data.maxTurns);
    if (Number.isInteger(turns) && turns > 0) definition.maxTurns = turns;
    else warnings.push(`${shownPath}: maxTurns must be a positive whole number, got ${JSON.stringify(data.maxTurns)}; ignored`);
  }
  const skills = nameList(data.skills);
  if (skills) definition.skills = skills;
  const ignored = Object.keys(data).filter((key) => !HONOURED_AGENT_KEYS.includes(key));
  if (ignored.length > 0) definition.ignoredKeys = ignored;
  return { definition, warnings };
}

/** A SKILL.md's text; `dirName` is its folder's name (the skill's name when the header has none). `allowed-tools` is never honoured. */
export function parseSkillFile(text: string, dirName: string, shownPath: string): SkillFile {
  const { data, body } = parseFrontmatter(text);
  const name = typeof data.name === 'string' && data.name.trim() !== '' ? data.name.trim() : dirName;
  return { name, description: stringOf(data.description), path: shownPath, body };
}

/**
 * The agent files of one `agents` folder, in file-name order; the first file of a name wins.
 * `show` turns a file's path into the one the user sees. A missing folder has none.
 */
export function readAgentDir(
  dir: string,
  source: AgentTypeSource,
  show: (file: string) => string,
  within?: string,
): { definitions: AgentDefinition[]; warnings: string[] } {
  const definitions: AgentDefinition[] = [];
  const warnings: string[] = [];
  for (const entry of listDir(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()) {
    const file = path.join(dir, entry);
    const text = readSmallFile(file, within);
    if (text === null) continue;
    const parsed = parseAgentFile(text, entry.slice(0, -3), source, show(file));
    warnings.push(...parsed.warnings);
    if (definitions.some((d) => d.name === parsed.definition.name)) {
      warnings.push(`${show(file)}: another file already defines agent type '${parsed.definition.name}'; this one is ignored`);
      continue;
    }
    definitions.push(parsed.definition);
  }
  return { definitions, warnings };
}

/** The skills of one `skills` folder (`NAME/SKILL.md`), in folder-name order. */
export function readSkillDir(dir: string, show: (file: string) => string, within?: string): SkillFile[] {
  const skills: SkillFile[] = [];
  for (const entry of listDir(dir).sort()) {
    const file = path.join(dir, entry, 'SKILL.md');
    const text = readSmallFile(file, within);
    if (text === null) continue;
    const skill = parseSkillFile(text, entry, show(file));
    if (!skills.some((s) => s.name === skill.name)) skills.push(skill);
  }
  return skills;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A regular file's text, or null; with `within` (a real path), only when the file's real path lies inside it. */
export function readSmallFile(file: string, within?: string): string | null {
  try {
    // A checkout's symlink must not lead to a worker's own files.
    if (within !== undefined && !isInside(realpathSync(file), within)) return null;
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_AGENT_FILE_CHARS * 4) return null;
    const text = readFileSync(file, 'utf8');
    return text.length > MAX_AGENT_FILE_CHARS ? null : text;
  } catch {
    return null;
  }
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value);
}

export function isInside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
