// Skill: loads one of the skills listed in the agent's first message (`.claude/skills/NAME/SKILL.md`
// of its checkout, or the starter's with --personal-context) by name, as Claude Code's Skill tool
// does. It returns the skill's instructions, nothing more: a skill's `allowed-tools` is never
// honoured, so loading one widens nothing.
import { ToolError } from '../agent-errors.js';
import type { AgentTool } from './tool.js';

interface SkillInput {
  skill: string;
  args?: string;
}

export const skillTool: AgentTool<SkillInput> = {
  name: 'Skill',
  readOnly: true,
  description: `Execute a skill within the main conversation

When the task matches one of the available skills listed in your first message, load it with this tool and follow its instructions. Skills provide specialized knowledge and step-by-step procedures for this project.

- Pass the skill's name exactly as listed, e.g. "pdf" or "release-notes"
- Only skills listed as available can be loaded
- A skill gives instructions only: it does not change which tools or commands you may use`,
  inputSchema: {
    type: 'object',
    properties: {
      skill: { type: 'string', minLength: 1, description: 'The skill name, as listed. E.g. "pdf" or "release-notes"' },
      args: { type: 'string', description: 'Optional arguments for the skill' },
    },
    required: ['skill'],
  },

  async run(input, ctx) {
    const skills = ctx.skills ?? [];
    const skill = skills.find((s) => s.name === input.skill.trim().replace(/^\//, ''));
    if (!skill) {
      const names = skills.map((s) => s.name).join(', ');
      throw new ToolError(`Unknown skill: ${input.skill}. ${names ? `Available skills: ${names}.` : 'No skills are available.'}`);
    }
    const args = input.args?.trim() ? `\n\nARGUMENTS: ${input.args.trim()}` : '';
    return `Skill "${skill.name}" (${skill.path}):\n\n${skill.body}${args}`;
  },
};
