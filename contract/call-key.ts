// The key of one agent() call (docs/runs.md#resuming-an-edited-script): a hash of the prompt and of
// the options that change what the agent does. The client and the workflow must agree on it, and
// the workflow sandbox has no Node crypto, so the hash is plain JavaScript.
import { KEYED_OPTION_FIELDS, type AgentOptions, type KeyedOptionField } from './agent-options.js';

/** What a call's key covers: the prompt and the keyed options (contract/agent-options.ts). */
export type CallKeyInput = { prompt: string; /** The resolved model id, so `sonnet` today and the same id spelled out are one call. */ model: string } & Pick<
  AgentOptions,
  Exclude<KeyedOptionField, 'model'>
>;

// Bumped when the key's material changes, so keys of older journals never match by accident.
const KEY_VERSION = 2;

/** The key's fields in order: the prompt, then the keyed options in the table's order (model first). */
const KEY_FIELDS = ['prompt', ...KEYED_OPTION_FIELDS] as const;
type KeyField = (typeof KEY_FIELDS)[number];

// A tool set: the order the script lists it in does not matter.
function toolSet(tools: string[]): string[] {
  return [...new Set(tools)].sort();
}

function present(call: CallKeyInput): Array<[KeyField, unknown]> {
  return KEY_FIELDS.map((field) => [field, call[field as keyof CallKeyInput]] as [KeyField, unknown]).filter(([, value]) => value !== undefined);
}

/** 32 hex characters: a 128-bit hash of the canonical JSON of the call. */
export function callKey(call: CallKeyInput): string {
  const material: Record<string, unknown> = { v: KEY_VERSION };
  for (const [field, value] of present(call)) material[field] = field === 'tools' ? toolSet(value as string[]) : value;
  return hash128Hex(canonicalJson(material));
}

/**
 * What each field of a call's key was, short: the small fields as they are, the prompt and the
 * schema as fingerprints. Kept in the call's journal entry so that a later run whose call misses
 * can say which fields changed (docs/runs.md#resuming-an-edited-script), which the key alone cannot.
 */
export function callKeyFields(call: CallKeyInput): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [field, value] of present(call)) {
    if (field === 'prompt') fields.prompt = hash128Hex(value as string).slice(0, 16);
    else if (field === 'schema') fields.schema = hash128Hex(canonicalJson(value)).slice(0, 16);
    else if (field === 'tools') fields.tools = toolSet(value as string[]).join(',');
    else fields[field] = String(value);
  }
  return fields;
}

/** The names of the fields that differ between two callKeyFields(), in the key's own order. */
export function changedKeyFields(before: Record<string, string>, after: Record<string, string>): string[] {
  return KEY_FIELDS.filter((name) => before[name] !== after[name]);
}

/** JSON with object keys sorted at every depth, so `{a, b}` and `{b, a}` give the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${fields.join(',')}}`;
}

/**
 * A 128-bit hash of `text`'s UTF-16 code units, as 32 lower-case hex characters: four
 * multiply-xorshift lanes (cyrb128). Not cryptographic, and it need not be: keys only match a
 * script's calls against its own earlier runs. It is fast because it runs in the workflow
 * for every agent() call: SHA-256 in plain JavaScript cost 5.7 ms per 100 KB prompt, enough
 * to push a 1000-agent fan-out past the interpreter's CPU fuse.
 */
export function hash128Hex(text: string): string {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  // A local: inside Temporal's workflow sandbox every global lookup (`Math`) is slow, and in
  // this loop it made a 10 MB prompt take over 5 s, the workflow task's deadline.
  const imul = Math.imul;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ imul(h1 ^ k, 597399067);
    h2 = h3 ^ imul(h2 ^ k, 2869860233);
    h3 = h4 ^ imul(h3 ^ k, 951274213);
    h4 = h1 ^ imul(h4 ^ k, 2716044179);
  }
  h1 = imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}
