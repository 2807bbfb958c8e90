// The shape of `export const meta`, checked once, with messages that say how to fix it.

import { z } from 'zod';
import type { Position } from 'acorn';
import type { PhaseMeta, ScriptMeta } from '../contract/run-types.js';
import { metaPath, type MetaLiteral } from './meta-literal.js';
import type { Problem, SourcePosition } from './source-position.js';
import { isKebabCase, slugOf } from '../contract/script-name.js';

function stringField(required: string, wrongType: string) {
  return z.string({ error: (iss) => (iss.input === undefined ? required : wrongType) });
}

const phaseSchema = z.object(
  {
    title: stringField("is required: give each phase a title, like { title: 'Review' }", "must be a string, like 'Review'").refine((s) => s.trim() !== '', {
      error: "must not be empty: give the phase a title, like 'Review'",
    }),
    detail: z.string({ error: 'must be a string describing the phase' }).optional(),
    model: z.string({ error: "must be a string: an alias ('opus', 'sonnet', 'haiku') or a full model id" }).optional(),
  },
  { error: "must be an object, like { title: 'Review' }" },
);

export const metaSchema = z.object(
  {
    // Any non-empty name runs, as on Claude Code; one that is not kebab-case gets a warning.
    name: stringField("is required: add name: 'review-changes' (lowercase letters, digits and dashes)", "must be a string, like 'review-changes'").refine(
      (s) => s.trim() !== '',
      { error: "must not be empty: add name: 'review-changes' (lowercase letters, digits and dashes)" },
    ),
    description: stringField(
      "is required: add description: '...', one line saying what the script does",
      'must be a string: one line saying what the script does',
    )
      .refine((s) => s.trim() !== '', { error: 'must not be empty: say in one line what the script does' })
      .refine((s) => !/[\r\n\u2028\u2029]/.test(s), {
        error: "must be one line: move the details to meta.whenToUse or a phase's detail",
      }),
    whenToUse: z.string({ error: 'must be a string saying when to reach for this script' }).optional(),
    phases: z.array(phaseSchema, { error: "must be an array of phases, like [{ title: 'Review' }, { title: 'Verify' }]" }).optional(),
  },
  { error: "must be an object literal: export const meta = { name: '...', description: '...' }" },
);

const KNOWN_META_KEYS = Object.keys(metaSchema.shape);
const KNOWN_PHASE_KEYS = Object.keys(phaseSchema.shape);

export interface MetaCheck {
  meta: ScriptMeta | null;
  errors: Problem[];
  warnings: Problem[];
}

/** Validates a literal read by readMetaLiteral; `locate` turns its acorn positions into the user's. */
export function checkMeta(literal: MetaLiteral, locate: (loc: Position) => SourcePosition): MetaCheck {
  const parsed = metaSchema.safeParse(literal.value);
  const errors: Problem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A value that is not a literal was already reported; its schema error would be noise.
      const issuePath = issue.path.map(String);
      const covered = literal.problems.some((p) => {
        const problemPath = p.path === '' ? [] : p.path.split('.');
        return problemPath.every((part, i) => issuePath[i] === part);
      });
      if (covered) continue;
      errors.push({ at: locate(nearest(literal, issue.path)), message: `${metaPath(issue.path)} ${issue.message}` });
    }
  }
  return {
    meta: parsed.success ? toScriptMeta(parsed.data) : null,
    errors,
    warnings: [...nameWarning(parsed.success ? parsed.data.name : null, literal, locate), ...unknownKeys(literal, locate)],
  };
}

function nameWarning(name: string | null, literal: MetaLiteral, locate: (loc: Position) => SourcePosition): Problem[] {
  if (name === null || isKebabCase(name)) return [];
  const message = `meta.name ${JSON.stringify(name)} is not kebab-case (lowercase letters, digits and dashes): it runs, and run ids and saved workflow names use ${JSON.stringify(slugOf(name))}`;
  return [{ at: locate(nearest(literal, ['name'])), message }];
}

/** The value at `path`, or its closest enclosing value (a missing key points at its object). */
function nearest(literal: MetaLiteral, path: ReadonlyArray<PropertyKey>): Position {
  for (let n = path.length; n >= 0; n--) {
    const at = literal.valueAt.get(path.slice(0, n).map(String).join('.'));
    if (at) return at;
  }
  return literal.valueAt.get('')!;
}

// Claude Code may add keys Baton does not use; a warning keeps such scripts running.
function unknownKeys(literal: MetaLiteral, locate: (loc: Position) => SourcePosition): Problem[] {
  const warnings: Problem[] = [];
  const warn = (object: unknown, known: string[], path: Array<string | number>) => {
    if (typeof object !== 'object' || object === null || Array.isArray(object)) return;
    for (const key of Object.keys(object)) {
      if (known.includes(key)) continue;
      const keyPath = [...path, key];
      warnings.push({
        at: locate(literal.keyAt.get(keyPath.join('.')) ?? nearest(literal, path)),
        message: `${metaPath(keyPath)} is not used by Baton and is ignored (known keys: ${known.join(', ')})`,
      });
    }
  };
  warn(literal.value, KNOWN_META_KEYS, []);
  const phases = (literal.value as { phases?: unknown } | undefined)?.phases;
  if (Array.isArray(phases)) phases.forEach((phase, i) => warn(phase, KNOWN_PHASE_KEYS, ['phases', i]));
  return warnings;
}

// Copy field by field so the CompiledScript carries no keys the contract does not name.
function toScriptMeta(data: z.output<typeof metaSchema>): ScriptMeta {
  const meta: ScriptMeta = { name: data.name, description: data.description };
  if (data.whenToUse !== undefined) meta.whenToUse = data.whenToUse;
  if (data.phases !== undefined) {
    meta.phases = data.phases.map((p) => {
      const phase: PhaseMeta = { title: p.title };
      if (p.detail !== undefined) phase.detail = p.detail;
      if (p.model !== undefined) phase.model = p.model;
      return phase;
    });
  }
  return meta;
}
