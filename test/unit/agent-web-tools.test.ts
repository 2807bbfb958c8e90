// WebSearch and WebFetch: the provider's server tools, offered only when the run's allow rules
// name them, run by the provider (nothing on the worker), with paused turns sent back to go on.
// Against the model server, which checks the tool definitions and the blocks as the API does.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAgentLoop } from '../../activities/agent-loop.js';
import { webToolDefinitions } from '../../activities/web-tools.js';
import type { AgentRequest } from '../../contract/run-types.js';
import { reply, scripted, startModelServer, text, webFetch, webSearch, type ModelServer, type RecordedRequest } from '../model-server/index.js';
import { tempDir } from '../harness/temp-dir.js';

let server: ModelServer;
let client: Anthropic;
let workspace: string;
let first = 0;

beforeAll(async () => {
  server = await startModelServer();
  client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
  workspace = tempDir('baton-web-');
});
afterAll(async () => server.close());
beforeEach(() => {
  first = server.requests.length;
});

const requests = (): RecordedRequest[] => server.requests.slice(first);
const toolsOffered = (request: RecordedRequest) => ((request.body.tools ?? []) as Array<Record<string, unknown>>).filter((t) => t.type !== undefined);

function agent(over: Partial<AgentRequest>): AgentRequest {
  return {
    runId: 'run-1',
    agentId: 'a1',
    prompt: 'What changed in the Temporal TS SDK 1.24?',
    label: 'web',
    phase: null,
    model: 'claude-sonnet-5-5',
    workspace,
    allow: [],
    ...over,
  };
}

describe('web tools', () => {
  it('are offered only when an allow rule names them; WebFetch(domain:...) limits the domains', () => {
    expect(webToolDefinitions([], ['Read', 'WebSearch', 'WebFetch'], undefined)).toEqual([]);
    expect(
      webToolDefinitions(['WebSearch', 'WebFetch(domain:docs.temporal.io)', 'WebFetch(domain:github.com)'], ['Read', 'WebSearch', 'WebFetch'], undefined),
    ).toEqual([
      { type: 'web_search_20250305', name: 'web_search', max_uses: 10 },
      { type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 10, allowed_domains: ['docs.temporal.io', 'github.com'] },
    ]);
    // A profile or agent({ tools }) narrows them away like any other tool.
    expect(webToolDefinitions(['WebSearch', 'WebFetch'], ['Read', 'WebSearch', 'WebFetch'], ['Read', 'WebFetch'])).toEqual([
      { type: 'web_fetch_20250910', name: 'web_fetch', max_uses: 10 },
    ]);
  });

  it('an agent searches and fetches through the provider, and a paused turn goes on', async () => {
    server.setResponder(
      scripted(
        {
          content: [text('Searching.'), ...webSearch('Temporal TS SDK 1.24 release notes', [{ url: 'https://docs.temporal.io/ts', title: 'TS SDK' }])],
          stopReason: 'pause_turn',
        },
        reply(...webFetch('https://docs.temporal.io/ts', 'Release 1.24: worker deployments.'), text('1.24 added worker deployments.')),
      ),
    );
    const outcome = await runAgentLoop(agent({ allow: ['WebSearch', 'WebFetch'] }), { client, heartbeat: () => {} });
    expect(outcome).toMatchObject({ status: 'succeeded', result: '1.24 added worker deployments.', turns: 2 });
    // The search is billed apart from the tokens (the fetch is not): the outcome says how many the run has not counted.
    expect(outcome.unreportedWebSearches).toBe(1);
    expect(outcome.lastToolCall).toMatch(/^WebFetch /);
    const [firstCall, secondCall] = requests();
    expect(toolsOffered(firstCall!).map((t) => t.name)).toEqual(['web_search', 'web_fetch']);
    // The paused turn went back as the conversation's last (assistant) message, search result and all.
    const messages = secondCall!.body.messages as Array<{ role: string; content: Array<{ type: string }> }>;
    expect(messages.at(-1)!.role).toBe('assistant');
    expect(messages.at(-1)!.content.map((b) => b.type)).toEqual(['text', 'server_tool_use', 'web_search_tool_result']);
  });

  it('without an allow rule no web tool is offered', async () => {
    server.setResponder(scripted(reply(text('No web here.'))));
    const outcome = await runAgentLoop(agent({ allow: ['Bash(npm test:*)'] }), { client, heartbeat: () => {} });
    expect(outcome.status).toBe('succeeded');
    expect(toolsOffered(requests()[0]!)).toEqual([]);
  });
});
