// docs/configuration.md#models-and-prices: where the provider lists its models (`GET /v1/models`), a worker reads the list once at
// start, so an agent on an id the provider does not offer fails before anything is spent, naming it.
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { AnthropicAccess } from './run-agent-activity.js';

/** The listed ids; null when the provider lists none (no such endpoint) or could not be asked. */
export async function listProviderModels(access: AnthropicAccess, warn: (message: string) => void): Promise<Set<string> | null> {
  const client = new Anthropic({ apiKey: access.apiKey, baseURL: access.baseURL, maxRetries: 2, timeout: 15_000 });
  try {
    const ids = new Set<string>();
    for await (const model of client.models.list({ limit: 100 })) ids.add(model.id);
    return ids.size > 0 ? ids : null;
  } catch (error) {
    // A provider or gateway without the endpoint: every id is tried, as before the list existed.
    if (error instanceof APIError && error.status === 404) return null;
    warn(`could not list the provider's models (${(error as Error).message}); model ids are not checked before use`);
    return null;
  }
}
