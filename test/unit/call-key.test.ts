// Call keys (docs/runs.md#resuming-an-edited-script): the same call gives the same key wherever it is computed, and a change to
// anything that changes what the agent does gives another key. The hash runs in the workflow
// sandbox, so it is plain JavaScript.
import { describe, expect, it } from 'vitest';
import { callKey, canonicalJson, hash128Hex, type CallKeyInput } from '../../contract/call-key.js';
import { parseRunFlags } from '../../cli/run-flags.js';

describe('hash128Hex', () => {
  it('is 32 hex characters, stable, and changes with any one character', () => {
    const text = 'a'.repeat(5000);
    expect(hash128Hex(text)).toMatch(/^[0-9a-f]{32}$/);
    expect(hash128Hex(text)).toBe(hash128Hex('a'.repeat(5000)));
    for (const at of [0, 2500, 4999]) expect(hash128Hex(`${text.slice(0, at)}b${text.slice(at + 1)}`)).not.toBe(hash128Hex(text));
    expect(hash128Hex('')).not.toBe(hash128Hex('\u0000'));
  });

  it('gives 20,000 near-identical prompts 20,000 different keys', () => {
    const keys = new Set(Array.from({ length: 20_000 }, (_, i) => hash128Hex(`Review file src/module-${i}.ts for bugs`)));
    expect(keys.size).toBe(20_000);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

describe('callKey', () => {
  const base: CallKeyInput = { prompt: 'Review src/', model: 'claude-sonnet-5-5' };
  const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };

  it('is 32 hex characters and stable', () => {
    expect(callKey(base)).toMatch(/^[0-9a-f]{32}$/);
    expect(callKey({ ...base })).toBe(callKey(base));
  });

  it('does not depend on key order in the schema or on the order tools are listed in', () => {
    const reordered = { required: ['ok'], properties: { ok: { type: 'boolean' } }, type: 'object' };
    expect(callKey({ ...base, schema })).toBe(callKey({ ...base, schema: reordered }));
    expect(callKey({ ...base, tools: ['Read', 'Grep'] })).toBe(callKey({ ...base, tools: ['Grep', 'Read'] }));
  });

  it.each<[string, Partial<CallKeyInput>]>([
    ['prompt', { prompt: 'Review lib/' }],
    ['model', { model: 'claude-haiku-5-5' }],
    ['schema', { schema }],
    ['effort', { effort: 'high' }],
    ['isolation', { isolation: 'worktree' }],
    ['agentType', { agentType: 'reviewer' }],
    ['tools', { tools: ['Read'] }],
  ])('changes with the %s', (_name, change) => {
    expect(callKey({ ...base, ...change })).not.toBe(callKey(base));
  });

  it('ignores what does not change the call (label, phase, timeout, maxTurns)', () => {
    const withExtras = { ...base, label: 'x', phase: 'Review', timeoutMs: 1000, maxTurns: 3 } as CallKeyInput;
    expect(callKey(withExtras)).toBe(callKey(base));
  });
});

describe('--resume-from / --reuse flags', () => {
  it('accepts --resume-from alone or with a mode', () => {
    expect(parseRunFlags({ resumeFrom: 'review-1' })).toMatchObject({ resumeFrom: 'review-1' });
    expect(parseRunFlags({ resumeFrom: 'review-1', reuse: 'any' })).toMatchObject({ reuse: 'any' });
  });

  it.each([
    [{ reuse: 'any' }, '--reuse needs --resume-from RUN_ID'],
    [{ resumeFrom: 'r', reuse: 'all' }, "--reuse takes 'prefix'"],
    [{ resumeFrom: '  ' }, '--resume-from takes the id of an earlier run'],
  ])('refuses %j', (flags, message) => {
    expect(() => parseRunFlags(flags)).toThrow(message);
  });
});
