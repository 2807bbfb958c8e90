// A structural diff of two JSON values (`baton compare`: the two runs' results): the paths added,
// removed or changed, objects by key and arrays by index, in the notation the script would use.

export interface ValueChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  /** The value in the first run (absent when added). */
  a?: unknown;
  /** The value in the second run (absent when removed). */
  b?: unknown;
}

/** Changes listed at most; a result of thousands of items is summed up by its first ones. */
export const MAX_CHANGES = 200;

export function diffValues(a: unknown, b: unknown, root = 'result'): { changes: ValueChange[]; truncated: boolean } {
  const changes: ValueChange[] = [];
  let truncated = false;
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (changes.length >= MAX_CHANGES) {
      truncated = true;
      return;
    }
    if (isObject(x) && isObject(y)) {
      for (const key of Object.keys(x)) {
        if (!(key in y)) push({ path: pathOf(path, key), kind: 'removed', a: x[key] });
        else walk(x[key], y[key], pathOf(path, key));
      }
      for (const key of Object.keys(y)) if (!(key in x)) push({ path: pathOf(path, key), kind: 'added', b: y[key] });
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        if (i >= y.length) push({ path: `${path}[${i}]`, kind: 'removed', a: x[i] });
        else if (i >= x.length) push({ path: `${path}[${i}]`, kind: 'added', b: y[i] });
        else walk(x[i], y[i], `${path}[${i}]`);
      }
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) push({ path, kind: 'changed', a: x, b: y });
  };
  const push = (change: ValueChange) => {
    if (changes.length >= MAX_CHANGES) truncated = true;
    else changes.push(change);
  };
  walk(a, b, root);
  return { changes, truncated };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function pathOf(base: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}
