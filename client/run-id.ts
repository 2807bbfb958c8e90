import { slugOf } from '../contract/script-name.js';

/** A workflow id users can type: the script's name as a slug plus a short random suffix. */
export function newRunId(scriptName: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const suffix = Math.random().toString(36).slice(2, 6);
  return `${slugOf(scriptName)}-${stamp}-${suffix}`;
}
