import { describe, expect, it } from 'vitest';
import { agentTypeUses, agentTypesLine, agentTypesNamed, ignoredKeyWarnings } from '../../library/agent-types-used.js';

describe('the agent types a script names', () => {
  it('finds literal names in any quote, once each, first use first, and skips computed ones', () => {
    const program =
      "agent('a', { agentType: 'reviewer' })\nagent('b', {agentType:\"Explore\"})\nagent('c', { agentType: `reviewer` })\nagent('d', { agentType: `x-${kind}` })\nagent('e', { agentType: kind })";
    expect(agentTypesNamed(program)).toEqual(['reviewer', 'Explore']);
  });

  it('says where each comes from, and warns once per file with ignored keys', () => {
    const catalog = {
      definitions: [
        { name: 'reviewer', description: '', source: 'project' as const, path: '.claude/agents/reviewer.md', prompt: '', ignoredKeys: ['hooks', 'color'] },
      ],
    };
    const uses = agentTypeUses("agentType: 'reviewer' agentType: 'Plan' agentType: 'auditor'", catalog);
    expect(agentTypesLine(uses)).toBe('reviewer (project .claude/agents/reviewer.md), Plan (built-in), auditor (not found: that agent would fail)');
    expect(ignoredKeyWarnings(uses)).toEqual([
      '.claude/agents/reviewer.md: frontmatter keys hooks, color ignored (Baton reads only name, description, tools, disallowedTools, model, maxTurns, skills)',
    ]);
  });
});
