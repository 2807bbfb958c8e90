import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import {
  AgentFailure,
  classifyModelError,
  ensureError,
  MaxTurnsExceeded,
  ModelOverloaded,
  ModelRateLimited,
  ModelRequestRejected,
  ModelUnavailable,
  ProviderFault,
  retryAfterMsOf,
} from '../../activities/agent-errors.js';

const apiError = (status: number, type: string, headers: Record<string, string> = {}) =>
  APIError.generate(status, { type: 'error', error: { type, message: `the ${type} message` } }, undefined, new Headers(headers));

describe('agent errors', () => {
  it('decide retry behaviour in the type', () => {
    expect(new MaxTurnsExceeded('x')).toMatchObject({ name: 'MaxTurnsExceeded', retryable: false });
    expect(new MaxTurnsExceeded('x')).toBeInstanceOf(AgentFailure);
    expect(new ModelRateLimited('x', 1000)).toMatchObject({ name: 'ModelRateLimited', retryable: true, retryAfterMs: 1000 });
  });

  describe.each([
    ['400', apiError(400, 'invalid_request_error'), ModelRequestRejected, 'the invalid_request_error message'],
    ['401', apiError(401, 'authentication_error'), ModelRequestRejected, 'the authentication_error message'],
    ['403', apiError(403, 'permission_error'), ModelRequestRejected, '(403)'],
    ['404', apiError(404, 'not_found_error'), ModelRequestRejected, '(404)'],
    ['429', apiError(429, 'rate_limit_error', { 'retry-after': '7' }), ModelRateLimited, 'Rate limited'],
    ['529', apiError(529, 'overloaded_error'), ModelOverloaded, 'overloaded'],
    ['500', apiError(500, 'api_error'), ModelUnavailable, '(500)'],
    ['503', apiError(503, 'api_error'), ModelUnavailable, '(503)'],
    [
      'an overloaded SSE error event',
      new APIError(undefined, { error: { type: 'overloaded_error', message: 'm' } }, undefined, undefined, 'overloaded_error'),
      ModelOverloaded,
      'overloaded',
    ],
    ['a connection failure', new APIConnectionError({ message: 'socket hang up' }), ModelUnavailable, 'socket hang up'],
  ])('classifies %s', (_name, error, type, message) => {
    it(`as ${type.name}`, () => {
      const classified = classifyModelError(error);
      expect(classified).toBeInstanceOf(type);
      expect(classified.message).toContain(message);
    });
  });

  it('reads retry-after for a 429', () => {
    expect((classifyModelError(apiError(429, 'rate_limit_error', { 'retry-after': '7' })) as ProviderFault).retryAfterMs).toBe(7000);
  });

  it.each([
    [{ 'retry-after-ms': '1500' }, 1500],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': new Date(Date.now() + 60_000).toUTCString() }, 60_000],
    [{}, undefined],
    [{ 'retry-after': 'soon' }, undefined],
  ])('retry-after %j → %s ms', (headers, ms) => {
    const parsed = retryAfterMsOf(new Headers(headers));
    if (ms === undefined) return expect(parsed).toBeUndefined();
    // An HTTP date has one-second resolution and the clock moves on while the test runs.
    expect(parsed).toBeGreaterThan(ms - 2000);
    expect(parsed).toBeLessThanOrEqual(ms);
  });

  it('leaves aborts and foreign errors alone', () => {
    const abort = new APIUserAbortError();
    expect(classifyModelError(abort)).toBe(abort);
    const bug = new TypeError('x is undefined');
    expect(classifyModelError(bug)).toBe(bug);
  });

  it.each([
    ['an Error', new RangeError('r'), 'r'],
    ['a string', 'boom', 'boom'],
    ['an object', { code: 1 }, 'Non-error thrown: {"code":1}'],
    ['undefined', undefined, 'Non-error thrown'],
  ])('ensureError normalises %s', (_name, thrown, message) => {
    const error = ensureError(thrown);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain(message);
  });
});
