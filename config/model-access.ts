import { z } from 'zod';
import { UserError } from '../contract/user-error.js';

// The Anthropic SDK's own variables, checked once when a worker starts. The key is never logged.
const modelAccessSchema = z.object({
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url('ANTHROPIC_BASE_URL must be a URL like https://api.anthropic.com').optional(),
});

export interface ModelAccess {
  apiKey: string;
  baseURL?: string;
}

/** Thrown when a worker cannot reach the model; the message says which variable to set. */
export class ModelAccessError extends UserError {
  override name = 'ModelAccessError';
}

export function loadModelAccess(env: NodeJS.ProcessEnv = process.env): ModelAccess {
  const parsed = modelAccessSchema.safeParse({
    ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY || undefined,
    ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL || undefined,
  });
  if (!parsed.success) throw new ModelAccessError(parsed.error.issues.map((i) => i.message).join('\n'));
  if (!parsed.data.ANTHROPIC_API_KEY) {
    throw new ModelAccessError(
      'ANTHROPIC_API_KEY is not set, so agents cannot call Claude. Export it before starting the worker ' +
        "(or 'baton up'), or try the offline demo: bash scripts/quickstart.sh (it uses Baton's test model).",
    );
  }
  return { apiKey: parsed.data.ANTHROPIC_API_KEY, baseURL: parsed.data.ANTHROPIC_BASE_URL };
}
