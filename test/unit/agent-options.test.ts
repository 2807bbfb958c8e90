// agent()'s options are defined once (contract/agent-options.ts): the validator, the call key
// and the request the activity gets all follow that table.
import { describe, expect, it } from 'vitest';
import { AGENT_OPTION_NAMES, AGENT_OPTIONS, checkAgentOptions, KEYED_OPTION_FIELDS, PASSED_OPTION_FIELDS } from '../../contract/agent-options.js';
import { callKey, callKeyFields, changedKeyFields } from '../../contract/call-key.js';

// One valid value of every option, and a second one that differs.
const VALUES: Record<string, [unknown, unknown]> = {
  label: ['L', 'M'],
  phase: ['Review', 'Verify'],
  model: ['haiku', 'sonnet'],
  schema: [{ type: 'object' }, { type: 'string' }],
  effort: ['low', 'high'],
  isolation: ['worktree', 'remote'],
  agentType: ['Explore', 'Plan'],
  tools: [['Read'], ['Read', 'Grep']],
  timeout: ['20m', '1d'],
  maxTurns: [3, 4],
  stallMs: [60_000, '2m'],
  allowNet: [['127.0.0.1:5432'], ['127.0.0.1:6379']],
};

describe('the agent() option table', () => {
  it('has a value for every option in this test, so a new option gets one too', () => {
    expect(Object.keys(VALUES).sort()).toEqual([...AGENT_OPTION_NAMES].sort());
  });

  it.each(AGENT_OPTION_NAMES)('accepts %s and files it under its field', (name) => {
    const checked = checkAgentOptions({ [name]: VALUES[name]![0] });
    expect(checked).toMatchObject({ ok: true, unknown: [] });
    if (checked.ok) expect(Object.keys(checked.options)).toEqual([AGENT_OPTIONS[name].field]);
  });

  it.each(AGENT_OPTION_NAMES)('refuses a wrong value of %s, naming it', (name) => {
    expect(checkAgentOptions({ [name]: [1] })).toMatchObject({
      ok: false,
      message: expect.stringContaining(`agent() option "${name}" `),
    });
  });

  it('changes the call key exactly for the keyed options', () => {
    const base = { prompt: 'p', model: 'm' };
    const key = callKey(base);
    const changed = AGENT_OPTION_NAMES.filter((name) => {
      const checked = checkAgentOptions({ [name]: VALUES[name]![0] });
      if (!checked.ok || name === 'model') return name === 'model';
      return callKey({ ...base, ...checked.options } as typeof base) !== key;
    });
    expect(changed).toEqual(['model', 'schema', 'effort', 'isolation', 'agentType', 'tools']);
    expect(KEYED_OPTION_FIELDS).toEqual(changed);
  });

  it('keeps the call key of runs recorded before the table (their journals stay reusable)', () => {
    // Computed by the call key of the commit before this table existed.
    const call = {
      prompt: 'Review the diff',
      model: 'claude-haiku-5-5',
      effort: 'high',
      tools: ['Grep', 'Read', 'Grep'],
      schema: { type: 'object' },
      isolation: 'worktree',
      agentType: 'Plan',
    } as const;
    expect(callKey({ ...call, tools: [...call.tools] })).toBe('2cac331f9e81dd2e1485aad1d1f06bc1');
    const before = callKeyFields({ prompt: 'a', model: 'm', tools: ['Read'] });
    const after = callKeyFields({ prompt: 'b', model: 'm', tools: ['Grep'], agentType: 'Plan' });
    expect(changedKeyFields(before, after)).toEqual(['prompt', 'agentType', 'tools']);
  });

  it('passes to the activity what the agent needs as it is', () => {
    expect(PASSED_OPTION_FIELDS).toEqual(['schema', 'effort', 'isolation', 'agentType', 'tools', 'timeoutMs', 'maxTurns', 'stallMs']);
  });
});
