// approve()'s options and `baton up`'s address, as tables of valid and invalid cases.
import { describe, expect, it } from 'vitest';
import { parseApproveOptions } from '../../workflows/approvals.js';
import { upPort } from '../../stack/stack-address.js';
import { shownNotifyUrl, notifyUrlProblem } from '../../client/notify-targets.js';

describe('parseApproveOptions', () => {
  it.each([
    ['{}', { timeoutMs: null, fallback: false }],
    ['{"timeout":"12h"}', { timeoutMs: 43_200_000, fallback: false }],
    ['{"timeout":"1h30m","default":true}', { timeoutMs: 5_400_000, fallback: true }],
    ['{"timeout":"2d"}', { timeoutMs: 172_800_000, fallback: false }],
    ['{"timeout":1500}', { timeoutMs: 1500, fallback: false }],
  ])('%s is %j', (json, expected) => expect(parseApproveOptions(json)).toEqual(expected));

  it.each([
    ['{"timeout":"soon"}', '"timeout" must be a duration'],
    ['{"timeout":0}', '"timeout" must be a duration'],
    ['{"default":"yes","timeout":"1h"}', '"default" must be true or false'],
    ['{"default":false}', 'give one too'],
    ['{"colour":1}', 'no option "colour"'],
  ])('%s is refused', (json, message) => expect((parseApproveOptions(json) as { error: string }).error).toContain(message));
});

describe('upPort', () => {
  it.each([
    [undefined, undefined, 7233],
    [7300, undefined, 7300],
    [undefined, 'localhost:7243', 7243],
    [undefined, '127.0.0.1:9000', 9000],
    [9000, '127.0.0.1:9000', 9000],
  ])('--port %s, TEMPORAL_ADDRESS %s: %s', (flag, address, port) => expect(upPort(flag, address, 7233)).toBe(port));

  it('refuses a remote address and a disagreement', () => {
    expect(upPort(undefined, 'temporal.example.com:7233', 7233)).toEqual({ problem: expect.stringContaining("'baton up' cannot start") });
    expect(upPort(7300, 'localhost:7243', 7233)).toEqual({ problem: expect.stringContaining('disagree') });
  });
});

describe('notify URLs', () => {
  it('are shown by scheme and host only', () => {
    expect(shownNotifyUrl('https://user:pw@hooks.example.com/services/T0/B0/SECRET?x=1')).toBe('https://hooks.example.com/…');
    expect(shownNotifyUrl('http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
  });
  it('must be http(s)', () => {
    expect(notifyUrlProblem('https://x.example/hook')).toBeNull();
    expect(notifyUrlProblem('ftp://x')).toContain('http(s)');
    expect(notifyUrlProblem('not a url')).toContain('http(s)');
  });
});
