// One duration parser for every option and flag that takes one (contract/duration.ts).
import { describe, expect, it } from 'vitest';
import { parseAgentOptions } from '../../workflows/agent-options.js';
import { parseApproveOptions } from '../../workflows/approvals.js';
import { parseEvery, ScheduleSpecError } from '../../client/schedule-spec.js';
import { formatDuration, parseDuration } from '../../contract/duration.js';

describe.each([
  ['500ms', 500],
  ['90s', 90_000],
  ['20m', 1_200_000],
  ['1h30m', 5_400_000],
  ['1.5h', 5_400_000],
  ['1d', 86_400_000],
  ['2d 12h', 216_000_000],
  [' 1m 30s ', 90_000],
  [2500, 2500],
])('the duration %j', (value, ms) => {
  it(`is ${ms} ms`, () => expect(parseDuration(value)).toBe(ms));
  it('means the same to agent({ timeout }), agent({ stallMs }) and approve({ timeout })', () => {
    expect(parseAgentOptions(JSON.stringify({ timeout: value, stallMs: value })).options).toEqual({ timeoutMs: ms, stallMs: ms });
    expect(parseApproveOptions(JSON.stringify({ timeout: value }))).toEqual({ timeoutMs: ms, fallback: false });
  });
});

describe.each([['20 minutes'], ['1w'], ['10'], [''], ['0s'], [0], [-5], ['5m-3s'], [Number.POSITIVE_INFINITY], [null], [{}], ['m']])(
  'the non-duration %j',
  (value) => {
    it('is refused everywhere, naming the option', () => {
      expect(parseDuration(value)).toBeNull();
      expect(() => parseAgentOptions(JSON.stringify({ timeout: value }))).toThrow(
        /agent\(\) option "timeout" must be a duration such as '90s', '20m', '1h30m' or '2d'/,
      );
      expect(parseApproveOptions(JSON.stringify({ timeout: value }))).toEqual({
        error: expect.stringContaining('approve() option "timeout" must be a duration'),
      });
    });
  },
);

describe.each([
  [500, '500ms'],
  [90_000, '1m30s'],
  [1_200_000, '20m'],
  [5_400_000, '1h30m'],
  [86_400_000, '1d'],
  [90_061_001, '1d1h1m1s1ms'],
])('formatting %d ms', (ms, text) => {
  it(`gives ${text}, which parses back`, () => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('--every', () => {
  it('takes the same units, in whole seconds of at least one', () => {
    expect(parseEvery('1d')).toBe(86_400_000);
    expect(parseEvery('1h30m')).toBe(5_400_000);
    expect(() => parseEvery('1500ms')).toThrow(ScheduleSpecError);
    expect(() => parseEvery('500ms')).toThrow(/whole seconds, at least 1s/);
  });
});
