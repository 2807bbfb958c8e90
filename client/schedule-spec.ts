// When a schedule fires and what it does on overlap, checked before anything reaches Temporal:
// `--cron EXPR` (Temporal's cron: 5, 6 or 7 fields, or @daily and friends) or `--every DUR`.
import type { ScheduleOverlapPolicy, ScheduleSpec } from '@temporalio/client';
import { formatDuration, parseDuration } from '../contract/duration.js';

/** Thrown for a cron expression, interval or overlap policy Baton cannot use; says what would work. */
export class ScheduleSpecError extends Error {
  override name = 'ScheduleSpecError';
}

export type ScheduleTiming = { cron: string } | { everyMs: number };

export const OVERLAP_POLICIES = ['skip', 'buffer-one', 'allow-all'] as const;
export type OverlapChoice = (typeof OVERLAP_POLICIES)[number];

const OVERLAP: Record<OverlapChoice, ScheduleOverlapPolicy> = {
  skip: 'SKIP',
  'buffer-one': 'BUFFER_ONE',
  'allow-all': 'ALLOW_ALL',
};

const CRON_SHORTHANDS = ['@yearly', '@monthly', '@weekly', '@daily', '@hourly'];
const CRON_FIELD = /^[0-9A-Za-z*,/?#-]+$/;

/** A cron expression Temporal accepts: `[TZ=zone] fields`, 5 to 7 of them (with seconds first when 7), or a shorthand. */
export function checkCron(expression: string): string {
  const text = expression.trim();
  const body = text.replace(/^(CRON_TZ|TZ)=\S+\s+/, '');
  if (body.startsWith('@every')) throw new ScheduleSpecError(`--cron ${JSON.stringify(expression)}: for an interval use --every, e.g. --every 1h.`);
  if (body.startsWith('@')) {
    if (CRON_SHORTHANDS.includes(body)) return text;
    throw new ScheduleSpecError(`--cron ${JSON.stringify(expression)}: unknown shorthand; use one of ${CRON_SHORTHANDS.join(', ')}.`);
  }
  const fields = body.split(/\s+/).filter(Boolean);
  if (fields.length < 5 || fields.length > 7 || !fields.every((f) => CRON_FIELD.test(f))) {
    throw new ScheduleSpecError(
      `--cron ${JSON.stringify(expression)} is not a cron expression. Give 5 fields (minute hour day-of-month month day-of-week), ` +
        `e.g. --cron '0 2 * * *' for 02:00 UTC daily; 7 fields start with seconds ('*/5 * * * * * *' every 5 seconds).`,
    );
  }
  return text;
}

/** A duration (contract/duration.ts) of whole seconds, at least one: Temporal's interval resolution. */
export function parseEvery(duration: string): number {
  const ms = parseDuration(duration);
  if (ms === null || ms < 1000 || ms % 1000 !== 0) {
    throw new ScheduleSpecError(
      `--every ${JSON.stringify(duration)} is not an interval. Give a duration of whole seconds, at least 1s, like 30s, 15m, 1h30m or 1d.`,
    );
  }
  return ms;
}

export function overlapPolicy(choice: OverlapChoice): ScheduleOverlapPolicy {
  return OVERLAP[choice];
}

export function overlapChoice(policy: ScheduleOverlapPolicy | undefined): string {
  const found = (Object.entries(OVERLAP) as Array<[OverlapChoice, ScheduleOverlapPolicy]>).find(([, p]) => p === policy);
  return found
    ? found[0]
    : String(policy ?? 'skip')
        .toLowerCase()
        .replace(/_/g, '-');
}

export function scheduleSpec(timing: ScheduleTiming): ScheduleSpec {
  return 'cron' in timing ? { cronExpressions: [timing.cron] } : { intervals: [{ every: timing.everyMs }] };
}

/** `cron 0 2 * * *` or `every 1h30m`, as listings show it. */
export function describeTiming(timing: ScheduleTiming): string {
  if ('cron' in timing) return `cron ${timing.cron}`;
  return `every ${formatDuration(timing.everyMs)}`;
}
