import { describe, expect, it } from 'vitest';
import { dryRunEstimate } from '../../contract/dry-run-estimate.js';
import { defaultModelTable } from '../../contract/models.js';
import { placeholderFromSchema, placeholderText } from '../../contract/placeholder-from-schema.js';
import type { AgentView } from '../../contract/run-types.js';

describe('placeholderFromSchema', () => {
  it('fills required properties, one array item, first enums, in-range numbers', () => {
    const value = placeholderFromSchema({
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { t: { type: 'string' }, n: { type: 'integer', minimum: 3 } }, required: ['t', 'n'] } },
        kind: { enum: ['a', 'b'] },
        ok: { type: 'boolean' },
        ref: { $ref: '#/$defs/x' },
        optional: { type: 'string' },
      },
      required: ['items', 'kind', 'ok', 'ref'],
      $defs: { x: { type: ['number', 'null'] } },
    });
    expect(value).toEqual({ items: [{ t: 'placeholder', n: 3 }], kind: 'a', ok: true, ref: 0 });
    expect(placeholderFromSchema({ type: 'array', maxItems: 0 })).toEqual([]);
    expect(placeholderText('review bugs')).toBe('[dry run: review bugs]');
  });
});

describe('dryRunEstimate', () => {
  it('counts agents per phase and prices each at its model', () => {
    const agent = (phase: string | null, model: string) => ({ phase, model }) as AgentView;
    const estimate = dryRunEstimate(
      { phases: [{ title: 'A' } as never], agentList: [agent('A', 'claude-sonnet-5-5'), agent('A', 'claude-haiku-5-5'), agent(null, 'claude-haiku-5-5')] },
      defaultModelTable(),
    );
    expect(estimate.phases).toEqual([
      { title: 'A', agents: 2, models: ['claude-sonnet-5-5', 'claude-haiku-5-5'] },
      { title: '(no phase)', agents: 1, models: ['claude-haiku-5-5'] },
    ]);
    expect(estimate.agents).toBe(3);
    // sonnet low 2k×2 + 500×10 = 0.009; haiku low 2k×0.1 + 500×0.5 = 0.00045 (per million)
    expect(estimate.costUsd.low).toBeCloseTo(0.009 + 2 * 0.00045, 6);
    // sonnet high 20k×2 + 4k×10 = 0.08; haiku high 20k×0.1 + 4k×0.5 = 0.004
    expect(estimate.costUsd.high).toBeCloseTo(0.08 + 2 * 0.004, 6);
  });
});
