import { describe, expect, it } from 'vitest';
import { Permissions } from '../../activities/permissions.js';
import { runTool, selectTools, TOOL_REGISTRY } from '../../activities/tools/index.js';

const names = (lists: Array<string[] | undefined>) => selectTools(...lists).map((t) => t.name);

describe('tool registry', () => {
  it('offers Claude Code tool names with object input schemas', () => {
    for (const tool of TOOL_REGISTRY) {
      expect(tool.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.description.length).toBeGreaterThan(200);
    }
    expect(TOOL_REGISTRY.map((t) => t.name)).toEqual(['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'Skill']);
    expect(TOOL_REGISTRY.filter((t) => t.readOnly).map((t) => t.name)).toEqual(['Read', 'Glob', 'Grep', 'Skill']);
  });

  it.each([
    ['no restriction', [undefined, undefined], ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'Skill']],
    ['a narrowing list', [undefined, ['Grep', 'Read']], ['Read', 'Grep']],
    [
      'two lists intersect',
      [
        ['Read', 'Glob'],
        ['Glob', 'Grep'],
      ],
      ['Glob'],
    ],
    ['an empty list', [undefined, []], []],
    ['unknown names cannot add tools', [undefined, ['Read', 'WebFetch']], ['Read']],
  ] as const)('%s', (_name, lists, expected) => {
    expect(names(lists as unknown as Array<string[] | undefined>)).toEqual(expected);
  });

  it('answers a call to a tool it does not offer with an is_error result', async () => {
    const ctx = { workspace: {} as never, permissions: Permissions.fromRules([]), scratchDir: '/tmp', heartbeat: () => {} };
    expect(await runTool(undefined, 'WebFetch', { url: 'https://example.com' }, ctx)).toEqual({
      content: '<tool_use_error>No such tool available: WebFetch</tool_use_error>',
      isError: true,
    });
  });
});
