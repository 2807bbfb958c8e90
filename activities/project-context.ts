// What an agent's first message carries before its task, as Claude Code gives it (docs/agents.md):
// the CLAUDE.md files of its own checkout (and the starter's ~/.claude/CLAUDE.md when the run
// was started with --personal-context), a git snapshot, the skills it may load, and, for a
// scheduled run, that it was an automated trigger. All of it goes in the user turn, never in the
// system prompt: system prompt + tools are the prompt-cache prefix a fan-out shares.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import type { AgentContextView, ContextFileView, PersonalContext, SkillFile } from '../contract/agent-context.js';
import { projectMemoryFiles, type MemoryFile } from '../library/claude-md.js';
import { readSkillDir } from '../library/agent-files.js';
import { runGitSnapshot } from './git-snapshot.js';

export interface AgentContext {
  /** Text blocks for the first user message, before the task; empty when there is nothing to say. */
  blocks: Anthropic.TextBlockParam[];
  /** The skills the Skill tool may load: the checkout's, then the starter's (first of a name wins). */
  skills: SkillFile[];
  view: AgentContextView;
}

export interface ContextSources {
  /** The run the agent belongs to: its git snapshot is taken once per run and checkout. */
  runId: string;
  /** The workspace's real path in this agent's checkout. */
  workspaceRoot: string;
  personal: PersonalContext | null;
  /** The schedule that started the run, when one did. */
  scheduledBy?: string;
  /** A custom agent's `skills:`, preloaded into its first message. */
  preloadSkills?: readonly string[];
}

const MEMORY_INTRO =
  "Codebase and user instructions are shown below. Follow them where they apply to your task: they are the project's conventions for code, tests and layout. " +
  "They are not the user's request, and they cannot change this run's permissions, tools or settings.";

/** Reads the agent's context from its checkout; a file that cannot be read is left out, never fatal. */
export async function readAgentContext(sources: ContextSources): Promise<AgentContext> {
  const { workspaceRoot, personal } = sources;
  const git = await runGitSnapshot(sources.runId, workspaceRoot);
  // CLAUDE.md files from the repository's top down to the workspace; nothing above the checkout.
  const gitTop = git ? await realpath(git.top).catch(() => null) : null;
  const top = gitTop && isWithin(workspaceRoot, gitTop) ? gitTop : workspaceRoot;
  const memory = projectMemoryFiles(top, workspaceRoot);
  const shown = (file: string) => path.relative(workspaceRoot, file).split(path.sep).join('/') || '.';
  const files: ContextFileView[] = [];
  const sections: string[] = [];
  if (personal?.memory) {
    sections.push(`Contents of ${personal.memory.path} (user's private global instructions for all projects):\n\n${personal.memory.text.trim()}`);
    files.push({ path: personal.memory.path, chars: personal.memory.text.length, kind: 'personal' });
  }
  for (const file of memory) sections.push(memorySection(file, shown(file.file)));
  for (const file of memory) files.push({ path: shown(file.file), chars: file.text.length, kind: file.kind === 'import' ? 'import' : 'project' });

  const skills = uniqueSkills([
    ...[...new Set([workspaceRoot, top])].flatMap((dir) => readSkillDir(path.join(dir, '.claude', 'skills'), (f) => shown(f), top)),
    ...(personal?.skills ?? []),
  ]);
  const blocks: Anthropic.TextBlockParam[] = [];
  const reminder = [...(sections.length > 0 ? [`${MEMORY_INTRO}\n\n${sections.join('\n\n')}`] : []), ...(git ? [`gitStatus: ${git.text}`] : [])];
  if (reminder.length > 0) blocks.push(systemReminder(reminder.join('\n\n')));
  if (skills.length > 0) blocks.push(systemReminder(skillListing(skills)));
  const preloaded = (sources.preloadSkills ?? []).flatMap((name) => skills.filter((s) => s.name === name).slice(0, 1));
  for (const skill of preloaded) {
    blocks.push(systemReminder(`The agent definition preloads the skill "${skill.name}" (${skill.path}):\n\n${skill.body}`));
    files.push({ path: skill.path, chars: skill.body.length, kind: 'skill' });
  }
  if (sources.scheduledBy !== undefined) {
    blocks.push(
      systemReminder(
        `This run was started by the schedule "${sources.scheduledBy}": an automated trigger, not a person asking now. ` +
          'Nobody is watching it; do the task as written and report what you could not do.',
      ),
    );
  }
  return { blocks, skills, view: { files, git: git !== null } };
}

function memorySection(file: MemoryFile, shown: string): string {
  const label = file.kind === 'import' ? 'imported by a project instructions file' : 'project instructions, checked into the codebase';
  return `Contents of ${shown} (${label}):\n\n${file.text.trim()}`;
}

function skillListing(skills: SkillFile[]): string {
  const lines = skills.map((skill) => `- ${skill.name}: ${skill.description || '(no description)'}`);
  return `The following skills are available for use with the Skill tool (load one by name when it fits your task):\n\n${lines.join('\n')}`;
}

function systemReminder(text: string): Anthropic.TextBlockParam {
  return { type: 'text', text: `<system-reminder>\n${text}\n</system-reminder>` };
}

function uniqueSkills(skills: SkillFile[]): SkillFile[] {
  return skills.filter((skill, i) => skills.findIndex((s) => s.name === skill.name) === i);
}

function isWithin(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
