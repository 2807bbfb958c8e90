// `baton author`'s loop: the planner model writes a script; Baton compiles it and, when a worker
// answers, dry-runs it; errors go back to the model as the next turn, up to MAX_ROUNDS answers.
import Anthropic from '@anthropic-ai/sdk';
import type { ModelAccess } from '../../config/model-access.js';
import type { DryRunEstimate } from '../../contract/dry-run-estimate.js';
import type { CompiledScript } from '../../contract/run-types.js';
import { compileScript } from '../../compiler/index.js';
import { extractScript, fixTurn, plannerSystemPrompt, requestTurn } from './planner-prompt.js';

export const MAX_ROUNDS = 3;
/** Below the SDK's limit for non-streaming requests; a script is far shorter. */
const PLANNER_MAX_TOKENS = 16_000;
/** The name compile messages use for the planner's script. */
export const AUTHORED_FILE_NAME = 'authored.js';

/** A dry run of a compiled script: errors in `line:col: message` form, and the estimate when it completed. */
export interface DryRunCheck {
  workflowId: string;
  status: string;
  errors: string[];
  estimate: DryRunEstimate | null;
}

export type DryRunner = (script: CompiledScript) => Promise<DryRunCheck>;

export interface AuthorRequest {
  request: string;
  workspace: string;
  /** The planner's model id. */
  model: string;
  access: ModelAccess;
  /** Null when no worker answers: then only compile errors are fed back. */
  dryRun: () => Promise<DryRunner | null>;
  /** Called after each answer is checked; errors empty when it was accepted. */
  onRound?: (round: number, errors: string[]) => void;
}

export type AuthorOutcome =
  | { ok: true; rounds: number; source: string; script: CompiledScript; dryRun: DryRunCheck | null }
  | { ok: false; rounds: number; errors: string[]; source: string | null };

/** Thrown when the planner model cannot be called; the message names the API's answer. */
export class PlannerCallError extends Error {
  override name = 'PlannerCallError';
}

export async function authorScript(req: AuthorRequest): Promise<AuthorOutcome> {
  const client = new Anthropic({ apiKey: req.access.apiKey, baseURL: req.access.baseURL, maxRetries: 2 });
  const system = plannerSystemPrompt(req.workspace);
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: requestTurn(req.request) }];
  let errors: string[] = [];
  let source: string | null = null;

  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const answer = await callPlanner(client, req.model, system, messages);
    messages.push({ role: 'assistant', content: answer || '(no answer)' });
    const checked = await check(answer, req.dryRun);
    source = checked.source ?? source;
    req.onRound?.(round, checked.errors);
    if (checked.ok) return { ok: true, rounds: round, source: checked.source, script: checked.script, dryRun: checked.dryRun };
    errors = checked.errors;
    messages.push({ role: 'user', content: fixTurn(errors) });
  }
  return { ok: false, rounds: MAX_ROUNDS, errors, source };
}

type Checked =
  { ok: true; source: string; script: CompiledScript; dryRun: DryRunCheck | null; errors: [] } | { ok: false; source: string | null; errors: string[] };

async function check(answer: string, dryRun: AuthorRequest['dryRun']): Promise<Checked> {
  const source = extractScript(answer);
  if (source === null) return { ok: false, source: null, errors: ['the answer has no ```js fenced block holding the script'] };
  const compiled = await compileScript(AUTHORED_FILE_NAME, source);
  if (!compiled.ok) return { ok: false, source, errors: compiled.errors.map((d) => `${d.line}:${d.column}: ${d.message}`) };
  const runner = await dryRun();
  if (runner === null) return { ok: true, source, script: compiled.script, dryRun: null, errors: [] };
  const ran = await runner(compiled.script);
  if (ran.errors.length > 0) return { ok: false, source, errors: ran.errors.map((e) => `dry run (placeholder agents): ${e}`) };
  return { ok: true, source, script: compiled.script, dryRun: ran, errors: [] };
}

async function callPlanner(client: Anthropic, model: string, system: string, messages: Anthropic.MessageParam[]): Promise<string> {
  let message: Anthropic.Message;
  try {
    message = await client.messages.create({ model, max_tokens: PLANNER_MAX_TOKENS, system, messages });
  } catch (error) {
    const status = error instanceof Anthropic.APIError && error.status ? ` (HTTP ${error.status})` : '';
    throw new PlannerCallError(`the planner model ${model} could not be called${status}: ${(error as Error).message}`);
  }
  return message.content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}
