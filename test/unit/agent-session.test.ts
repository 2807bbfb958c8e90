// An agent's session (activities/agent-session.ts) ends without leaving its scratch directory
// behind, whether or not a Bash call made it.
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { AgentRequest } from '../../contract/run-types.js';
import { openAgentSession } from '../../activities/agent-session.js';
import { ensureScratchDir } from '../../activities/tools/bash-environment.js';
import { tempDir } from '../harness/temp-dir.js';

const request = (workspace: string) => ({ runId: 'run-1', agentId: 'a1', label: 'task', workspace }) as unknown as AgentRequest;

it('removes the scratch directory a Bash call made, when the agent finishes or is discarded', async () => {
  for (const end of ['finish', 'discard'] as const) {
    const session = await openAgentSession(request(tempDir()));
    await ensureScratchDir(session.scratchDir);
    expect(existsSync(session.scratchDir)).toBe(true);
    await session[end]();
    expect(existsSync(session.scratchDir)).toBe(false);
  }
});

it('finishes an agent that never ran Bash, with no scratch directory made', async () => {
  const session = await openAgentSession(request(tempDir()));
  await expect(session.finish()).resolves.toEqual({});
  expect(existsSync(session.scratchDir)).toBe(false);
});
