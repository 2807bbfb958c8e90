// agent()'s options, defined once (docs/script-language.md, agent() options): each key with how
// its value is checked, the field it becomes, and whether it is part of the call's key (what a
// resume matches calls by). The workflow's validator, the compiler's static check, the call key
// and the types all derive from this table, so a new option is one entry here plus its use.
import { DURATION_EXAMPLES, parseDuration } from './duration.js';
import { parseNetAllowance } from './net-allowance.js';
import { schemaContradiction } from './schema-contradictions.js';

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';
/** `agent({ schema })`: StructuredOutput calls (or turns ended without it) before the agent fails. */
export const MAX_STRUCTURED_OUTPUT_ATTEMPTS = 5;

export const EFFORTS: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];

/** A value the option refuses: what it must be, for `agent() option "x" must be ...`. */
class Invalid {
  constructor(
    readonly expected: string,
    /** The whole complaint, when "must be ..." does not say it well. */
    readonly complaint?: string,
  ) {}
}

/** What an option's value becomes: its parsed value, `undefined` to drop it, or Invalid. */
type Check<T> = (value: unknown) => T | undefined | Invalid;

interface OptionSpec<F extends string, T, K extends boolean, R extends boolean> {
  /** The field of AgentOptions it fills. */
  field: F;
  /** Part of the call key: it changes what the agent does (label, phase and fuses do not). */
  keyed: K;
  /** Sent to the agent activity as it is (label, phase and model go through the agent's view, allowNet is narrowed first). */
  passed: R;
  check: Check<T>;
}

function option<F extends string, T, K extends boolean, R extends boolean>(field: F, keyed: K, passed: R, check: Check<T>): OptionSpec<F, T, K, R> {
  return { field, keyed, passed, check };
}

const nonEmptyString: Check<string> = (value) => (typeof value === 'string' && value.trim() !== '' ? value : new Invalid('a non-empty string'));

const duration: Check<number> = (value) => parseDuration(value) ?? new Invalid(`a duration such as ${DURATION_EXAMPLES}, or a number of milliseconds`);

/**
 * The options, in the order the call key lists its fields. `model` is keyed by its resolved id
 * (so `sonnet` today and the same id spelled out are one call), which the runner fills in.
 */
export const AGENT_OPTIONS = {
  label: option('label', false, false, nonEmptyString),
  phase: option('phase', false, false, nonEmptyString),
  model: option('model', true, false, nonEmptyString),
  schema: option('schema', true, true, (value): Record<string, unknown> | Invalid => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return new Invalid('a JSON Schema object');
    // A schema no answer could meet fails the call before any token is spent.
    const contradiction = schemaContradiction(value as Record<string, unknown>);
    return contradiction ? new Invalid('satisfiable', `can never be satisfied: ${contradiction}.`) : (value as Record<string, unknown>);
  }),
  effort: option('effort', true, true, (value) =>
    EFFORTS.includes(value as Effort) ? (value as Effort) : new Invalid(`one of ${EFFORTS.map((e) => `'${e}'`).join(', ')}`),
  ),
  // Claude Code's 'remote' asks for an agent away from the caller's machine, which every Baton
  // agent already is: accepted, and nothing changes (nor does the call's key).
  isolation: option('isolation', true, true, (value): 'worktree' | undefined | Invalid =>
    value === 'remote' ? undefined : value === 'worktree' ? 'worktree' : new Invalid("'worktree' (its own git worktree) or 'remote'"),
  ),
  agentType: option('agentType', true, true, nonEmptyString),
  tools: option('tools', true, true, (value) =>
    Array.isArray(value) && value.every((tool) => typeof tool === 'string' && tool !== '')
      ? (value as string[])
      : new Invalid("an array of tool names, e.g. ['Read', 'Grep']"),
  ),
  timeout: option('timeoutMs', false, true, duration),
  maxTurns: option('maxTurns', false, true, (value) =>
    Number.isInteger(value) && (value as number) >= 1 ? (value as number) : new Invalid('a positive integer'),
  ),
  /** Claude Code's stall fuse: a model call with no progress for this long is abandoned and made again. */
  stallMs: option('stallMs', false, true, duration),
  /** Narrows the run's `--allow-net` for this agent's Bash commands. */
  allowNet: option('allowNet', false, false, (value) =>
    Array.isArray(value) && value.every((entry) => typeof entry === 'string' && typeof parseNetAllowance(entry) !== 'string')
      ? (value as string[])
      : new Invalid("an array of HOST[:PORT] entries the run allows with --allow-net, e.g. ['127.0.0.1:5432']"),
  ),
};

type Specs = typeof AGENT_OPTIONS;
/** An option's name as the script writes it: `timeout`, `schema`, ... */
export type AgentOptionName = keyof Specs;
type CheckedValue<K extends AgentOptionName> = Exclude<ReturnType<Specs[K]['check']>, undefined | Invalid>;

/** agent()'s options once checked: `timeout` becomes `timeoutMs`, `isolation: 'remote'` nothing. */
export type AgentOptions = { [K in AgentOptionName as Specs[K]['field']]?: CheckedValue<K> };

/** The options' names, in the table's order. */
export const AGENT_OPTION_NAMES = Object.keys(AGENT_OPTIONS) as AgentOptionName[];

type KeyedName = { [K in AgentOptionName]: Specs[K]['keyed'] extends true ? K : never }[AgentOptionName];
/** The fields of AgentOptions a call's key covers, in the key's order. */
export type KeyedOptionField = Specs[KeyedName]['field'];
export const KEYED_OPTION_FIELDS = AGENT_OPTION_NAMES.filter((name) => AGENT_OPTIONS[name].keyed).map(
  (name) => AGENT_OPTIONS[name].field,
) as KeyedOptionField[];

type PassedName = { [K in AgentOptionName]: Specs[K]['passed'] extends true ? K : never }[AgentOptionName];
/** The fields of AgentOptions an agent's request carries as they are. */
export type PassedOptionField = Specs[PassedName]['field'];
export const PASSED_OPTION_FIELDS = AGENT_OPTION_NAMES.filter((name) => AGENT_OPTIONS[name].passed).map(
  (name) => AGENT_OPTIONS[name].field,
) as PassedOptionField[];

export function isAgentOptionName(key: string): key is AgentOptionName {
  return Object.prototype.hasOwnProperty.call(AGENT_OPTIONS, key);
}

export type OptionsCheck =
  | { ok: true; options: AgentOptions; unknown: string[] }
  /** `unknownBefore`: unknown keys met before the bad one (runs from before unknown keys were ignored failed on the first). */
  | { ok: false; message: string; unknownBefore: string[] };

/** Checks options as the script passed them (parsed JSON); stops at the first bad value of a known option. */
export function checkAgentOptions(raw: Record<string, unknown>): OptionsCheck {
  const options: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!isAgentOptionName(key)) {
      unknown.push(key);
      continue;
    }
    const spec = AGENT_OPTIONS[key];
    const checked = (spec.check as Check<unknown>)(value);
    if (checked instanceof Invalid) {
      const complaint = checked.complaint ?? `must be ${checked.expected}, got ${JSON.stringify(value)}.`;
      return { ok: false, message: `agent() option "${key}" ${complaint}`, unknownBefore: unknown };
    }
    if (checked !== undefined) options[spec.field] = checked;
  }
  return { ok: true, options: options as AgentOptions, unknown };
}

/** The message for an option Baton does not know: ignored, as Claude Code ignores it. */
export function unknownOptionWarning(key: string): string {
  return `agent() option "${key}" is not one Baton knows, so it is ignored (as Claude Code ignores it). Known options: ${AGENT_OPTION_NAMES.join(', ')}.`;
}

/** The error runs from before unknown options were ignored gave (patch baton-ignore-unknown-agent-options). */
export function unknownOptionError(key: string): string {
  return `agent() got an unknown option "${key}". Known options: ${AGENT_OPTION_NAMES.join(', ')}.`;
}
