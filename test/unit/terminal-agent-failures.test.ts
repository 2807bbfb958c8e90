// The workflow's retry policy names the activity's terminal failures (contract/terminal-agent-failures.ts):
// a new AgentFailure class missing from that list would be retried, one listed that no longer
// exists would mean the list has drifted.
import { describe, expect, it } from 'vitest';
import * as agentErrors from '../../activities/agent-errors.js';
import * as repoCache from '../../activities/repo-cache.js';
import { TERMINAL_AGENT_FAILURES } from '../../contract/terminal-agent-failures.js';

const { AgentFailure, ProviderFault } = agentErrors;
const exported = ([...Object.values(agentErrors), ...Object.values(repoCache)] as unknown[]).filter(
  (value): value is abstract new (...args: never[]) => Error => typeof value === 'function' && value.prototype instanceof Error,
);
const terminal = exported.filter((cls) => cls === AgentFailure || cls.prototype instanceof AgentFailure).map((cls) => cls.name);

describe('terminal agent failures', () => {
  it('are exactly the AgentFailure classes the activity throws', () => {
    expect([...TERMINAL_AGENT_FAILURES].sort()).toEqual([...new Set(terminal)].sort());
  });

  it('include no retryable provider fault', () => {
    const retryable = exported.filter((cls) => cls === ProviderFault || cls.prototype instanceof ProviderFault).map((cls) => cls.name);
    expect(retryable.length).toBeGreaterThan(0);
    expect(TERMINAL_AGENT_FAILURES.filter((name) => retryable.includes(name))).toEqual([]);
  });

  it('name their class as the activity reports it', () => {
    expect(new agentErrors.MaxTurnsExceeded('out of turns').name).toBe('MaxTurnsExceeded');
    expect(new repoCache.BranchPushFailed('refused').name).toBe('BranchPushFailed');
  });
});
