// `baton schedule create` timing and overlap, checked before anything reaches Temporal.
import { describe, expect, it } from 'vitest';
import { checkCron, describeTiming, overlapChoice, overlapPolicy, parseEvery, scheduleSpec, ScheduleSpecError } from '../../client/schedule-spec.js';

describe('--cron', () => {
  it.each(['0 2 * * *', '*/15 9-17 * * MON-FRI', '0 0 1 1 * 2030', '*/5 * * * * * *', '@daily', 'TZ=Europe/Paris 0 9 * * *'])('accepts %j', (cron) => {
    expect(checkCron(cron)).toBe(cron);
  });

  it.each([
    ['0 2 * *', 'is not a cron expression'],
    ['1 2 3 4 5 6 7 8', 'is not a cron expression'],
    ['0 2 * * * ;rm', 'is not a cron expression'],
    ['@every 5m', 'use --every'],
    ['@sometimes', 'unknown shorthand'],
  ])('refuses %j', (cron, message) => {
    expect(() => checkCron(cron)).toThrow(ScheduleSpecError);
    expect(() => checkCron(cron)).toThrow(message);
  });
});

describe('--every', () => {
  it.each([
    ['2s', 2000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseEvery(text)).toBe(ms);
    expect(describeTiming({ everyMs: ms })).toBe(`every ${text}`);
  });

  it.each(['', '5', '500ms', '1500ms', '0s', '1 hour', '-1m', '1w'])('refuses %j', (text) => {
    expect(() => parseEvery(text)).toThrow(/at least 1s, like 30s, 15m, 1h30m or 1d/);
  });
});

describe('overlap and spec', () => {
  it('maps the three policies both ways', () => {
    expect(overlapPolicy('skip')).toBe('SKIP');
    expect(overlapPolicy('buffer-one')).toBe('BUFFER_ONE');
    expect(overlapPolicy('allow-all')).toBe('ALLOW_ALL');
    expect(overlapChoice('BUFFER_ONE')).toBe('buffer-one');
    expect(overlapChoice('TERMINATE_OTHER')).toBe('terminate-other');
  });

  it('builds the Temporal spec', () => {
    expect(scheduleSpec({ cron: '0 2 * * *' })).toEqual({ cronExpressions: ['0 2 * * *'] });
    expect(scheduleSpec({ everyMs: 2000 })).toEqual({ intervals: [{ every: 2000 }] });
    expect(describeTiming({ cron: '0 2 * * *' })).toBe('cron 0 2 * * *');
  });
});
