// What `baton run --personal-context` takes from the starter's home at start (docs/agents.md):
// ~/.claude/CLAUDE.md (imports inside ~/.claude only), ~/.claude/agents/*.md, installed plugins'
// agents (`NAME:agent`, as Claude Code names them) and ~/.claude/skills/NAME/SKILL.md. It travels
// with the run; no worker ever reads its own home for any of it.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { AgentDefinition, PersonalContext } from '../contract/agent-context.js';
import { readAgentDir, readSkillDir } from './agent-files.js';
import { readWithImports } from './claude-md.js';
import { installedPlugins } from './plugin-workflows.js';

export function readPersonalContext(home: string): { context: PersonalContext; warnings: string[] } {
  const claude = path.join(path.resolve(home), '.claude');
  let root: string | null;
  try {
    root = realpathSync(claude);
  } catch {
    root = null;
  }
  const shown = (file: string) => `~/${path.relative(path.resolve(home), file).split(path.sep).join('/')}`;
  const fromRoot = (file: string) => (root ? `~/.claude/${path.relative(root, file).split(path.sep).join('/')}` : shown(file));
  const context: PersonalContext = { agents: [], skills: [] };
  const warnings: string[] = [];
  if (root === null) return { context, warnings };
  const memory = readWithImports(path.join(root, 'CLAUDE.md'), root, 'personal');
  if (memory.length > 0) {
    context.memory = {
      path: '~/.claude/CLAUDE.md',
      text: memory.map((file, i) => (i === 0 ? file.text : `\n\nContents of ${fromRoot(file.file)} (imported):\n\n${file.text}`)).join(''),
    };
  }
  const personal = readAgentDir(path.join(root, 'agents'), 'personal', fromRoot, root);
  context.agents.push(...personal.definitions);
  warnings.push(...personal.warnings);
  context.agents.push(...pluginAgents(home, warnings));
  context.skills.push(...readSkillDir(path.join(root, 'skills'), fromRoot, root));
  return { context, warnings };
}

/** Every installed plugin's `agents/*.md`, named `plugin:name` as Claude Code names them. */
export function pluginAgents(home: string, warnings: string[] = []): AgentDefinition[] {
  const agents: AgentDefinition[] = [];
  for (const { plugin, dir } of installedPlugins(home)) {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      continue;
    }
    const found = readAgentDir(path.join(real, 'agents'), 'plugin', (file) => `${plugin}:${path.relative(real, file).split(path.sep).join('/')}`, real);
    warnings.push(...found.warnings);
    for (const definition of found.definitions) {
      const name = `${plugin}:${definition.name}`;
      if (!agents.some((a) => a.name === name)) agents.push({ ...definition, name });
    }
  }
  return agents;
}
