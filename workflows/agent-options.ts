// Validation of agent()'s options (docs/script-language.md#agent-options). Runs in the workflow on the JSON the prelude sends;
// a mistake becomes a TypeError in the script that names the option and what it accepts.
import { parseNetAllowance } from '../contract/net-allowance.js';
import { schemaContradiction } from '../contract/schema-contradictions.js';
import type { Effort } from '../contract/run-types.js';

export interface AgentOptions {
  label?: string;
  phase?: string;
  schema?: Record<string, unknown>;
  model?: string;
  effort?: Effort;
  isolation?: 'worktree';
  agentType?: string;
  tools?: string[];
  timeoutMs?: number;
  maxTurns?: number;
  /** Claude Code's stall fuse: a model call with no progress for this long is abandoned and made again. */
  stallMs?: number;
  /** Narrows the run's `--allow-net` for this agent's Bash commands (entries the run does not allow are dropped). */
  allowNet?: string[];
}

/** An error the script should see (as `name`), as opposed to an interpreter bug. */
export class ScriptFacingError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const EFFORTS: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];
const KNOWN = ['label', 'phase', 'schema', 'model', 'effort', 'isolation', 'agentType', 'tools', 'timeout', 'maxTurns', 'stallMs', 'allowNet'];
const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function invalid(option: string, expected: string, got: unknown): ScriptFacingError {
  return new ScriptFacingError('TypeError', `agent() option "${option}" must be ${expected}, got ${JSON.stringify(got)}.`);
}

function nonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(option, 'a non-empty string', value);
  return value;
}

/** `'20m'`, `'90s'`, `'1h30m'`, `'500ms'`, or a number of milliseconds. */
export function parseDuration(option: string, value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string') {
    const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h)/g)];
    const consumed = parts.map((part) => part[0]).join('');
    if (parts.length > 0 && consumed.replace(/\s/g, '') === value.replace(/\s/g, '')) {
      const ms = parts.reduce((sum, part) => sum + Number(part[1]) * DURATION_UNITS_MS[part[2]!]!, 0);
      if (ms > 0) return ms;
    }
  }
  throw invalid(option, "a duration such as '20m', '90s' or '1h', or a number of milliseconds", value);
}

/** A schema no answer could meet fails the call before any token is spent. */
function satisfiable(schema: Record<string, unknown>): Record<string, unknown> {
  const contradiction = schemaContradiction(schema);
  if (contradiction) throw new ScriptFacingError('TypeError', `agent() option "schema" can never be satisfied: ${contradiction}.`);
  return schema;
}

/** Parses and checks the options JSON; throws ScriptFacingError('TypeError') on a mistake. */
export function parseAgentOptions(json: string): AgentOptions {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const options: AgentOptions = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'label':
      case 'phase':
      case 'model':
      case 'agentType':
        options[key] = nonEmptyString(key, value);
        break;
      case 'schema':
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(key, 'a JSON Schema object', value);
        options.schema = satisfiable(value as Record<string, unknown>);
        break;
      case 'effort':
        if (!EFFORTS.includes(value as Effort)) throw invalid(key, `one of ${EFFORTS.map((e) => `'${e}'`).join(', ')}`, value);
        options.effort = value as Effort;
        break;
      case 'isolation':
        // Claude Code's 'remote' asks for an agent away from the caller's machine, which every
        // Baton agent already is: accepted, and nothing changes (nor does the call's key).
        if (value === 'remote') break;
        if (value !== 'worktree') throw invalid(key, "'worktree' (its own git worktree) or 'remote'", value);
        options.isolation = 'worktree';
        break;
      case 'tools':
        if (!Array.isArray(value) || !value.every((tool) => typeof tool === 'string' && tool !== '')) {
          throw invalid(key, "an array of tool names, e.g. ['Read', 'Grep']", value);
        }
        options.tools = value as string[];
        break;
      case 'timeout':
        options.timeoutMs = parseDuration(key, value);
        break;
      case 'stallMs':
        options.stallMs = parseDuration(key, value);
        break;
      case 'maxTurns':
        if (!Number.isInteger(value) || (value as number) < 1) throw invalid(key, 'a positive integer', value);
        options.maxTurns = value as number;
        break;
      case 'allowNet':
        if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && typeof parseNetAllowance(entry) !== 'string')) {
          throw invalid(key, "an array of HOST[:PORT] entries the run allows with --allow-net, e.g. ['127.0.0.1:5432']", value);
        }
        options.allowNet = value as string[];
        break;
      default:
        throw new ScriptFacingError(
          'TypeError',
          `agent() got an unknown option "${key}". Known options: ${KNOWN.join(', ')}.`,
        );
    }
  }
  return options;
}

/** The default label: the prompt's first words, short enough for a status line. */
export function defaultLabel(prompt: string): string {
  const words = prompt.trim().split(/\s+/).filter(Boolean);
  let label = words.slice(0, 6).join(' ');
  if (label.length > 60) label = `${label.slice(0, 59)}…`;
  else if (words.length > 6) label += '…';
  return label || '(empty prompt)';
}
