// Cost per unit of outcome: what each point of a score cost (dollars per confirmed finding).
// A score of zero or less bought no points, so it has no cost per point.

/** USD per point of `value`, or null when the score has no points. */
export function costPerPoint(costUsd: number, value: number): number | null {
  return value > 0 ? costUsd / value : null;
}

export function costPerPointText(costUsd: number, value: number): string {
  const per = costPerPoint(costUsd, value);
  return per === null ? 'no points' : `$${per.toFixed(4)}`;
}
