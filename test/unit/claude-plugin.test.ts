// The Claude Code plugin in this repository (docs/cli.md#from-claude-code): the marketplace at the
// root names the plugin folder, whose manifest starts `baton mcp`, with a /baton command and a skill.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { argsWarning } from '../../cli/args-warning.js';
import { commandsFor } from '../../cli/command-table.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const json = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const frontmatter = (path: string) => /^---\n([\s\S]*?)\n---\n/.exec(readFileSync(join(root, path), 'utf8'))?.[1] ?? '';

describe('the Claude Code plugin', () => {
  it('the marketplace lists the plugin folder, whose manifest runs `baton mcp`', async () => {
    const marketplace = json('.claude-plugin/marketplace.json');
    expect(marketplace.owner.name).toBeTruthy();
    const [entry] = marketplace.plugins;
    const manifest = json(join(entry.source, '.claude-plugin/plugin.json'));
    expect(manifest.name).toBe(entry.name);
    expect(manifest.mcpServers.baton).toEqual({ command: 'baton', args: ['mcp'] });
    const commands = await commandsFor('mcp');
    expect(commands).toHaveLength(1);
  });

  it('has a /baton command and a skill, each with a description', () => {
    expect(frontmatter('plugin/commands/baton.md')).toMatch(/^description: .+/m);
    const skill = frontmatter('plugin/skills/baton/SKILL.md');
    expect(skill).toMatch(/^name: baton$/m);
    expect(skill).toMatch(/^description: .*baton_\* MCP tools/m);
    expect(existsSync(join(root, 'plugin/commands/baton.md'))).toBe(true);
  });
});

describe('argsWarning', () => {
  it.each([
    ['{"a":1}', 'an object'],
    ['[1,2]', 'an array'],
  ])('warns about args given as the string %s', (args, kind) => {
    expect(argsWarning(args)).toContain(`args is a string holding JSON (${kind})`);
  });
  it.each([[{ a: 1 }], ['plain text'], ['"quoted"'], ['42'], [undefined]])('is silent for %j', (args) => {
    expect(argsWarning(args)).toBeNull();
  });
});
