// Every failure a user can fix is a UserError that carries its exit code, so the CLI has one way
// to show them: its message (after `baton: ` unless the command named itself) and that code.
import { describe, expect, it } from 'vitest';
import { ServerUnreachable } from '../../client/connection.js';
import { CliError } from '../../cli/exit-codes.js';
import { routineError } from '../../cli/routine-errors.js';
import { ModelAccessError } from '../../config/model-access.js';
import { loadSettings, SettingsError } from '../../config/settings.js';
import { EXIT, UserError } from '../../contract/user-error.js';
import { ObjectStoreError } from '../../storage/object-store-error.js';

describe('user errors', () => {
  it.each([
    [new SettingsError('Unknown environment variable BATON_FOO.'), EXIT.usage, 'baton: Unknown environment variable BATON_FOO.'],
    [new ModelAccessError('ANTHROPIC_API_KEY is not set.'), EXIT.usage, 'baton: ANTHROPIC_API_KEY is not set.'],
    [new ObjectStoreError('Could not read s3://b/k: NoSuchBucket.'), EXIT.otherEnd, 'baton: Could not read s3://b/k: NoSuchBucket.'],
    [new ServerUnreachable('Cannot reach Temporal at localhost:1.'), EXIT.otherEnd, 'baton: Cannot reach Temporal at localhost:1.'],
    [new CliError('baton run: --concurrency must be 1..256', EXIT.usage), EXIT.usage, 'baton run: --concurrency must be 1..256'],
  ])('%s exits %i and prints %j', (error, exitCode, line) => {
    expect(error).toBeInstanceOf(UserError);
    expect(error.exitCode).toBe(exitCode);
    expect(error.cliMessage).toBe(line);
  });

  it('a bad setting is one', () => {
    expect(() => loadSettings({ BATON_NO_SUCH: '1' })).toThrow(UserError);
  });

  it("Temporal's routine errors become one, unknown errors do not", () => {
    const notFound = Object.assign(new Error('workflow not found'), { name: 'WorkflowNotFoundError', workflowId: 'r-1' });
    expect(routineError(notFound)?.cliMessage).toBe("baton: no run with id r-1 on this server. 'baton ls' lists recent runs.");
    expect(routineError(notFound)?.exitCode).toBe(EXIT.otherEnd);
    const refused = Object.assign(new Error('16 UNAUTHENTICATED: invalid API key'), { code: 16 });
    expect(routineError(refused)?.cliMessage).toBe(
      'baton: Temporal refused this client: 16 UNAUTHENTICATED: invalid API key. Check TEMPORAL_API_KEY, the TLS settings or the profile (docs/configuration.md).',
    );
    expect(routineError(refused)?.exitCode).toBe(EXIT.usage);
    expect(routineError(new TypeError('x is undefined'))).toBeNull();
  });
});
