// A unified diff of two texts (`baton compare`: the two runs' scripts), from the longest common
// subsequence of their lines. Scripts are small; past MAX_CELLS the diff is not worth its memory.

const CONTEXT = 3;
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string; a: number; b: number };

/** `--- a` / `+++ b` and `@@` hunks, or null when the texts are the same (or too big to diff). */
export function unifiedDiff(a: string, b: string, names: { a: string; b: string }): string | null {
  if (a === b) return null;
  const x = a.split('\n');
  const y = b.split('\n');
  if (x.length * y.length > MAX_CELLS) return `--- ${names.a}\n+++ ${names.b}\n(${x.length} and ${y.length} lines: too long to diff here)`;
  const ops = lineOps(x, y);
  const lines = [`--- ${names.a}`, `+++ ${names.b}`];
  // Hunks: runs of changes with CONTEXT lines either side, merged when they touch.
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    for (let j = i; j < ops.length; j++) {
      if (ops[j]!.kind !== ' ') end = j;
      else if (j - end > CONTEXT * 2) break;
    }
    end = Math.min(ops.length - 1, end + CONTEXT);
    const hunk = ops.slice(start, end + 1);
    const aCount = hunk.filter((op) => op.kind !== '+').length;
    const bCount = hunk.filter((op) => op.kind !== '-').length;
    lines.push(`@@ -${hunk[0]!.a + (aCount > 0 ? 1 : 0)},${aCount} +${hunk[0]!.b + (bCount > 0 ? 1 : 0)},${bCount} @@`);
    for (const op of hunk) lines.push(`${op.kind}${op.line}`);
    i = end + 1;
  }
  return lines.join('\n');
}

function lineOps(x: string[], y: string[]): Op[] {
  const n = x.length;
  const m = y.length;
  // lengths[i][j]: the LCS of x[i..] and y[j..], in one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        x[i] === y[j] ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) ops.push({ kind: ' ', line: x[i]!, a: i++, b: j++ });
    // Removals before additions, as diff(1) prints a changed line.
    else if (i < n && (j === m || lengths[(i + 1) * (m + 1) + j]! >= lengths[i * (m + 1) + j + 1]!)) ops.push({ kind: '-', line: x[i]!, a: i++, b: j });
    else ops.push({ kind: '+', line: y[j]!, a: i, b: j++ });
  }
  return ops;
}
