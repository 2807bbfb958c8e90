// docs/runs.md#resuming-an-edited-script: a resumed or rerun run says how many calls it reused and, at the first miss, which call
// and which of its key fields changed: a silent cache miss is what resume users complain of most.
import type { RunReport } from '../contract/run-types.js';

export function reuseLines(report: Pick<RunReport, 'reuse'>): string[] {
  const reuse = report.reuse;
  if (!reuse) return [];
  const lines = [`↺ reused ${reuse.reused} of ${reuse.offered} call${reuse.offered === 1 ? '' : 's'} from ${reuse.fromRunId}`];
  const miss = reuse.firstMiss;
  if (miss) lines.push(`  first miss: ${miss.agentId} "${miss.label}": ${miss.reason}`);
  return lines;
}
