// docs/configuration.md#models-and-prices: where the provider lists its models (`GET /v1/models`), a worker reads the list once at
// start, so an agent on an id the provider does not offer fails before anything is spent, naming it.
// Each run also lists them once at its start (the listModels activity): its family aliases
// (`fable`, `opus`, ...) resolve to the newest listed id of each family (workflows/model-aliases.ts).
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { Context } from '@temporalio/activity';
import type { ProviderModel } from '../contract/provider-aliases.js';
import type { AnthropicAccess } from './anthropic-access.js';

/** The listed ids; null when the provider lists none (no such endpoint) or could not be asked. */
export async function listProviderModels(access: AnthropicAccess, warn: (message: string) => void): Promise<Set<string> | null> {
  const models = await listProviderModelEntries(access, warn);
  return models ? new Set(models.map((model) => model.id)) : null;
}

/** The listed models with their release dates; null when the provider lists none or could not be asked. */
export async function listProviderModelEntries(access: AnthropicAccess, warn: (message: string) => void): Promise<ProviderModel[] | null> {
  const client = new Anthropic({ apiKey: access.apiKey, baseURL: access.baseURL, maxRetries: 2, timeout: 15_000 });
  try {
    const models: ProviderModel[] = [];
    for await (const model of client.models.list({ limit: 100 })) models.push({ id: model.id, createdAt: model.created_at });
    return models.length > 0 ? models : null;
  } catch (error) {
    // A provider or gateway without the endpoint: every id is tried, as before the list existed.
    if (error instanceof APIError && error.status === 404) return null;
    warn(`could not list the provider's models (${(error as Error).message}); model ids are not checked before use`);
    return null;
  }
}

/** A listing and when it was read (Date.now()). */
export interface ModelListing {
  models: ProviderModel[] | null;
  listedAt: number;
}

/** How long a listing stands for new runs: a model the provider adds shows within this. */
export const MODEL_LISTING_FRESH_MS = 10 * 60_000;

/** The provider's models for a run's start: the worker's last listing while fresh, else a new one. */
export class FreshListing {
  constructor(
    private readonly access: AnthropicAccess,
    private last: ModelListing | undefined,
    private readonly freshMs = MODEL_LISTING_FRESH_MS,
  ) {}

  async current(): Promise<ProviderModel[] | null> {
    if (this.last && Date.now() - this.last.listedAt < this.freshMs) return this.last.models;
    const listedAt = Date.now();
    const models = await listProviderModelEntries(this.access, (message) => Context.current().log.warn(message));
    this.last = { models, listedAt };
    return models;
  }
}
