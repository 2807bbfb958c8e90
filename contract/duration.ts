// Durations, as every place that takes one spells them: agent({ timeout, stallMs }),
// approve({ timeout }), `baton schedule create --every`. One parser, so a unit that works in one
// place works in all of them. Pure: the workflow, the client and the CLI share it.

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
// `ms` before `m`, so '500ms' is not read as 500 minutes and an 's'.
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g;

/** How a duration is written, for error messages. */
export const DURATION_EXAMPLES = "'90s', '20m', '1h30m' or '2d'";

/**
 * Milliseconds of `'20m'`, `'90s'`, `'1h30m'`, `'1.5h'`, `'500ms'`, `'2d'` (units ms, s, m, h,
 * d, summed; spaces between parts allowed), or of a positive number of milliseconds. Anything
 * else, zero included, is null: the caller says which option it was.
 */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.replace(/\s/g, '');
  const parts = [...text.matchAll(PART)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return null;
  const ms = parts.reduce((sum, part) => sum + Number(part[1]) * UNIT_MS[part[2] as Unit], 0);
  return ms > 0 && Number.isFinite(ms) ? ms : null;
}

/** The shortest exact spelling parseDuration reads back: `1h30m`, `2d`, `90s` as `1m30s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0s';
  let rest = Math.round(ms);
  let text = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * UNIT_MS[unit];
  }
  return text;
}
