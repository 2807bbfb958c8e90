// docs/fleet.md#fair-share-across-runs: runs on one task queue share its slots through Temporal's task-queue
// fairness. Every agent activity (and the run's own workflow tasks) carries a fairness key:
// the run's workflow id, so each run is one round-robin turn, or the run's `--tenant`, so a
// team's runs share one turn with the tenant's weight. Shared by the client (the workflow's
// priority at start) and the interpreter (each agent activity), so both agree.
import { hash128Hex } from './call-key.js';

/** Temporal's limit on a fairness key (server-side, in bytes). */
export const MAX_FAIRNESS_KEY_BYTES = 64;

/** Temporal clamps weights to this range; Baton refuses values outside it instead. */
export const FAIRNESS_WEIGHT_RANGE = { min: 0.001, max: 1000 } as const;

/** The fields of RunOptions this reads (`baton run --tenant NAME --tenant-weight W`). */
export interface FairShareOptions {
  tenant?: string;
  tenantWeight?: number;
}

/** Task-queue priority fields, as `@temporalio/common`'s Priority spells them. */
export interface FairShare {
  fairnessKey: string;
  fairnessWeight?: number;
}

/** The fairness key and weight of a run's tasks: its tenant, else its workflow id. */
export function fairShareOf(options: FairShareOptions, workflowId: string): FairShare {
  const key = fairnessKey(options.tenant ?? workflowId);
  return options.tenantWeight === undefined ? { fairnessKey: key } : { fairnessKey: key, fairnessWeight: options.tenantWeight };
}

/** A key within Temporal's 64 bytes: short ones as they are, longer ones as a prefix and a hash. */
export function fairnessKey(name: string): string {
  if (utf8Length(name) <= MAX_FAIRNESS_KEY_BYTES) return name;
  // 31 ASCII-safe characters of the name, '~', 32 hex characters of the hash: 64 bytes.
  const prefix = Array.from(name.replace(/[^\x20-\x7e]/g, '_'))
    .slice(0, 31)
    .join('');
  return `${prefix}~${hash128Hex(name)}`;
}

// The workflow sandbox has TextEncoder, but counting by hand keeps this file free of globals.
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
