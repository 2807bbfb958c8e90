import { describe, expect, it } from 'vitest';
import { fairnessKey, fairShareOf, MAX_FAIRNESS_KEY_BYTES } from '../../contract/fair-share.js';

describe('fair share keys', () => {
  it('is the run by default, the tenant with --tenant, with the weight only when given', () => {
    expect(fairShareOf({}, 'review-20261130-101010-ab12')).toEqual({ fairnessKey: 'review-20261130-101010-ab12' });
    expect(fairShareOf({ tenant: 'team-search' }, 'review-1')).toEqual({ fairnessKey: 'team-search' });
    expect(fairShareOf({ tenant: 'team-search', tenantWeight: 2 }, 'review-1')).toEqual({ fairnessKey: 'team-search', fairnessWeight: 2 });
  });

  it.each([
    ['a'.repeat(64), 'kept'],
    ['a'.repeat(65), 'shortened'],
    ['é'.repeat(33), 'shortened'],
    ['a long workflow id given by a user with --workflow-id, well past sixty-four bytes', 'shortened'],
  ])('keeps every key within 64 bytes: %s is %s', (name, fate) => {
    const key = fairnessKey(name);
    expect(Buffer.byteLength(key, 'utf8')).toBeLessThanOrEqual(MAX_FAIRNESS_KEY_BYTES);
    if (fate === 'kept') expect(key).toBe(name);
    else expect(key).not.toBe(name);
  });

  it('gives two long names with the same start different keys, and one name always the same key', () => {
    const prefix = 'x'.repeat(80);
    expect(fairnessKey(`${prefix}-1`)).not.toBe(fairnessKey(`${prefix}-2`));
    expect(fairnessKey(`${prefix}-1`)).toBe(fairnessKey(`${prefix}-1`));
  });
});
