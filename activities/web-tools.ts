// WebSearch and WebFetch (docs/agents.md): Claude Code's names for the provider's server-side web
// search and web fetch. The provider runs them, so nothing reaches the network from the worker
// and the Bash sandbox is not involved. The run's allow rules decide whether they are offered at
// all (Claude Code's syntax: `WebSearch`, `WebFetch`, `WebFetch(domain:docs.example.com)`), and a
// profile or `agent({ tools })` can narrow them away like any other tool.
import type Anthropic from '@anthropic-ai/sdk';
import { parsePermissionRule } from './permissions.js';

export const WEB_TOOLS = ['WebSearch', 'WebFetch'] as const;
export type WebToolName = (typeof WEB_TOOLS)[number];

/** The provider's names for the server tools, as they appear in `server_tool_use` blocks. */
export const SERVER_TOOL_NAMES: Record<string, WebToolName> = { web_search: 'WebSearch', web_fetch: 'WebFetch' };

// Searches and fetches per model call (the API's max_uses); each search is billed by the provider.
const MAX_USES = 10;

/**
 * The server tool definitions for an agent: each web tool its profile and `agent({ tools })` keep
 * and an allow rule names. `WebFetch(domain:...)` rules limit fetches to those domains.
 */
export function webToolDefinitions(allow: readonly string[], ...allowLists: Array<readonly string[] | undefined>): Anthropic.ToolUnion[] {
  const rules = allow.map(parsePermissionRule);
  const kept = (name: WebToolName) => allowLists.every((list) => list === undefined || list.includes(name)) && rules.some((rule) => rule.tool === name);
  const definitions: Anthropic.ToolUnion[] = [];
  if (kept('WebSearch')) definitions.push({ type: 'web_search_20250305', name: 'web_search', max_uses: MAX_USES });
  if (kept('WebFetch')) {
    const fetchRules = rules.filter((rule) => rule.tool === 'WebFetch');
    // A bare `WebFetch` allows every domain; otherwise only the domains the rules name.
    const domains = fetchRules.some((rule) => rule.specifier === null) ? null : fetchRules.flatMap((rule) => domainOf(rule.specifier!));
    definitions.push({ type: 'web_fetch_20250910', name: 'web_fetch', max_uses: MAX_USES, ...(domains ? { allowed_domains: domains } : {}) });
  }
  return definitions;
}

function domainOf(specifier: string): string[] {
  const domain = /^domain:(.+)$/.exec(specifier)?.[1]?.trim();
  return domain ? [domain] : [];
}
