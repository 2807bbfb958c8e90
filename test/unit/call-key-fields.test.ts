// callKeyFields/changedKeyFields: what a resumed run's first miss says changed (docs/runs.md#resuming-an-edited-script).
import { describe, expect, it } from 'vitest';
import { callKey, callKeyFields, changedKeyFields, type CallKeyInput } from '../../contract/call-key.js';

const base: CallKeyInput = { prompt: 'Review src/', model: 'claude-sonnet-5-5', schema: { type: 'object' }, tools: ['Read', 'Grep'] };

describe('changedKeyFields', () => {
  it.each<[string, Partial<CallKeyInput>, string[]]>([
    ['nothing', {}, []],
    ['the prompt', { prompt: 'Review lib/' }, ['prompt']],
    ['the model', { model: 'claude-haiku-5-5' }, ['model']],
    ['the schema', { schema: { type: 'array' } }, ['schema']],
    ['an added effort', { effort: 'high' }, ['effort']],
    ['prompt and isolation', { prompt: 'x', isolation: 'worktree' }, ['prompt', 'isolation']],
    ['the tools order only', { tools: ['Grep', 'Read'] }, []],
  ])('names %s', (_, change, changed) => {
    const after = { ...base, ...change };
    expect(changedKeyFields(callKeyFields(base), callKeyFields(after))).toEqual(changed);
    // The fields tell apart exactly the calls the key tells apart.
    expect(callKey(after) === callKey(base)).toBe(changed.length === 0);
  });

  it('keeps long prompts and schemas as short fingerprints', () => {
    const fields = callKeyFields({ ...base, prompt: 'x'.repeat(100_000) });
    expect(fields.prompt).toMatch(/^[0-9a-f]{16}$/);
    expect(fields.schema).toMatch(/^[0-9a-f]{16}$/);
  });
});
