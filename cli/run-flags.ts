import { resolve } from 'node:path';
import { z } from 'zod';
import type { Settings } from '../config/settings.js';
import { parseNetAllowance } from '../contract/net-allowance.js';
import { unpricedModels } from '../contract/models.js';
import { repoUrlProblem } from '../contract/repo-source.js';
import { FAIRNESS_WEIGHT_RANGE } from '../contract/fair-share.js';
import type { CompiledScript, RunOptions } from '../contract/run-types.js';
import { notifyUrlProblem } from '../client/notify-targets.js';
import { CliError, EXIT } from './exit-codes.js';
import { scriptLookupOf, workflowPlacesHere } from './script-argument.js';

const integer = (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: `--${name} takes a number` })
    .int(`--${name} takes a whole number`)
    .min(min, `--${name} must be at least ${min}`)
    .max(max, `--${name} must be at most ${max}`);

const runFlagsSchema = z
  .object({
    args: z.string().optional(),
    yes: z.boolean().optional(),
    detach: z.boolean().optional(),
    json: z.boolean().optional(),
    model: z.string().min(1).optional(),
    concurrency: integer('concurrency', 1, 256).optional(),
    maxAgents: integer('max-agents', 1).optional(),
    budgetTokens: integer('budget-tokens', 1).optional(),
    maxCost: z.coerce.number({ error: '--max-cost takes a number of US dollars' }).positive('--max-cost must be above 0').optional(),
    ceiling: z.boolean().optional(),
    onBudget: z
      .enum(['stop', 'pause'], { error: "--on-budget takes 'stop' (stop the agents at a ceiling) or 'pause' (hold them until baton budget raises it)" })
      .optional(),
    allow: z.array(z.string().regex(/^\w+(\(.*\))?$/, "--allow takes a rule like 'Bash(npm test:*)'")).optional(),
    allowNet: z
      .array(
        z
          .string()
          .refine((entry) => typeof parseNetAllowance(entry) !== 'string', { error: (issue) => `--allow-net: ${parseNetAllowance(String(issue.input))}` }),
      )
      .optional(),
    workspace: z.string().min(1).optional(),
    repo: z
      .string()
      .min(1, '--repo takes a git remote URL')
      .refine((url) => repoUrlProblem(url) === null, { error: (issue) => `--repo ${repoUrlProblem(String(issue.input))}.` })
      .optional(),
    ref: z.string().min(1, '--ref takes a branch, tag or commit').optional(),
    pushRemote: z
      .string()
      .min(1)
      .refine((url) => repoUrlProblem(url) === null, { error: (issue) => `--push-remote ${repoUrlProblem(String(issue.input))}.` })
      .optional(),
    resumeFrom: z.string().trim().min(1, '--resume-from takes the id of an earlier run').optional(),
    tenant: z.string().trim().min(1, '--tenant takes a name, e.g. --tenant team-search').optional(),
    tenantWeight: z.coerce
      .number({ error: '--tenant-weight takes a number, e.g. --tenant-weight 2' })
      .min(FAIRNESS_WEIGHT_RANGE.min, `--tenant-weight must be at least ${FAIRNESS_WEIGHT_RANGE.min}`)
      .max(FAIRNESS_WEIGHT_RANGE.max, `--tenant-weight must be at most ${FAIRNESS_WEIGHT_RANGE.max}`)
      .optional(),
    notify: z.array(z.string().refine((url) => notifyUrlProblem(url) === null, { error: (issue) => `${notifyUrlProblem(String(issue.input))}.` })).optional(),
    autoApprove: z.boolean().optional(),
    personalContext: z.boolean().optional(),
    variant: z.array(z.string()).optional(),
    compareWith: z.string().min(1, '--compare-with takes a script file or a saved workflow').optional(),
    reuse: z.enum(['prefix', 'any'], { error: "--reuse takes 'prefix' (the unchanged calls from the start) or 'any' (every unchanged call)" }).optional(),
  })
  .strict()
  .refine((flags) => flags.ceiling !== false || (flags.maxCost === undefined && flags.budgetTokens === undefined), {
    error: '--no-ceiling excludes --max-cost and --budget-tokens: it starts the run with no ceiling at all.',
  })
  .refine((flags) => flags.tenantWeight === undefined || flags.tenant !== undefined, {
    error: "--tenant-weight goes with --tenant NAME: it is the share of that tenant's runs.",
  })
  .refine((flags) => !flags.detach || (flags.variant === undefined && flags.compareWith === undefined), {
    error: '--variant and --compare-with follow every run to its end to compare them: drop --detach.',
  })
  .refine((flags) => flags.reuse === undefined || flags.resumeFrom !== undefined, {
    error: "--reuse needs --resume-from RUN_ID: it says how to reuse that run's agents.",
  })
  .refine((flags) => flags.repo !== undefined || (flags.ref === undefined && flags.pushRemote === undefined), {
    error: '--ref and --push-remote go with --repo URL: they say which commit of that remote, and where branches go.',
  })
  .refine((flags) => flags.repo === undefined || flags.workspace === undefined, {
    error: '--repo and --workspace exclude each other: agents work either on the remote (any worker) or in a directory every worker sees.',
  });

export type RunFlags = z.infer<typeof runFlagsSchema>;

export function parseRunFlags(raw: unknown): RunFlags {
  const parsed = runFlagsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => i.message).join('\n'));
  return parsed.data;
}

/** `--args JSON`, passed to the script verbatim; undefined when absent. */
export function parseArgsJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`--args must be JSON (${(error as Error).message}). Example: --args '{"path":"src"}'`);
  }
}

export function runOptionsFrom(flags: RunFlags, settings: Settings, cwd = process.cwd()): RunOptions {
  return {
    concurrency: flags.concurrency ?? settings.concurrency,
    maxAgents: flags.maxAgents ?? settings.maxAgents,
    model: flags.model ?? settings.model,
    modelTable: settings.modelTable,
    budgetTokens: flags.budgetTokens ?? null,
    maxCostUsd: flags.maxCost ?? null,
    ...(flags.onBudget === 'pause' ? { onBudget: 'pause' as const } : {}),
    ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
    ...(flags.tenantWeight !== undefined ? { tenantWeight: flags.tenantWeight } : {}),
    ...(flags.autoApprove ? { autoApprove: true } : {}),
    workspace: resolve(cwd, flags.workspace ?? '.'),
    ...(flags.repo ? { repo: { url: flags.repo, ref: flags.ref ?? null, ...(flags.pushRemote ? { pushUrl: flags.pushRemote } : {}) } } : {}),
    allow: [...settings.allow, ...(flags.allow ?? [])],
    allowNet: [...new Set([...settings.allowNet, ...(flags.allowNet ?? [])])],
    scriptLookup: scriptLookupOf(workflowPlacesHere(process.env, cwd)),
  };
}

/**
 * docs/configuration.md#models-and-prices: a cost ceiling cannot hold over a model without a price, so `--max-cost` refuses to start
 * when the run's default model or a phase's has none (an agent's own `model` is checked when it runs).
 */
export function refuseUnpricedModels(script: CompiledScript, options: RunOptions, ceiling = '--max-cost'): void {
  if (options.maxCostUsd === null) return;
  const models = [options.model, ...(script.meta.phases ?? []).flatMap((phase) => (phase.model ? [phase.model] : []))];
  const unpriced = unpricedModels(models, options.modelTable);
  if (unpriced.length === 0) return;
  throw new CliError(
    `${ceiling} cannot hold: ${unpriced.join(', ')} ${unpriced.length === 1 ? 'has' : 'have'} no price. ` +
      `Add one under models.prices in the config file, or pick a priced model with --model.` +
      (ceiling === '--max-cost' ? '' : ' Or pass --no-ceiling to start with none.'),
    EXIT.usage,
  );
}

const budgetFlagsSchema = z
  .object({
    maxCost: z.coerce.number({ error: '--max-cost takes a number of US dollars' }).positive('--max-cost must be above 0').optional(),
    budgetTokens: integer('budget-tokens', 1).optional(),
    json: z.boolean().optional(),
  })
  .strict()
  .refine((flags) => flags.maxCost !== undefined || flags.budgetTokens !== undefined, {
    error: 'baton budget RUN needs --max-cost USD or --budget-tokens N (or both).',
  });

/** `baton budget` flags, as the raise update takes them. */
export function parseBudgetFlags(raw: unknown): { maxCostUsd?: number; budgetTokens?: number; json?: boolean } {
  const parsed = budgetFlagsSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues.map((i) => i.message).join('\n'));
  const { maxCost, budgetTokens, json } = parsed.data;
  return { ...(maxCost !== undefined ? { maxCostUsd: maxCost } : {}), ...(budgetTokens !== undefined ? { budgetTokens } : {}), ...(json ? { json } : {}) };
}
