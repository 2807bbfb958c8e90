// What a person sees of a run's approve() calls: the one waiting first, with the command that
// answers it, and the rest in line. Shown by `baton run`, `baton status` and `--watch`.
import type { ApprovalView } from '../contract/approval-types.js';
import type { RunReport } from '../contract/run-types.js';

export function approvalLines(report: Pick<RunReport, 'approvals'>, workflowId?: string): string[] {
  const waiting = (report.approvals ?? []).filter((approval) => approval.state === 'waiting');
  if (waiting.length === 0) return [];
  const run = workflowId ?? 'RUN';
  return waiting.map((approval, i) =>
    i === 0
      ? `  waiting for approval ${approval.id}: ${JSON.stringify(approval.message)}${timeoutNote(approval)} · answer: baton approve ${run} [--reject]`
      : `  then ${approval.id}: ${JSON.stringify(approval.message)}${timeoutNote(approval)}`,
  );
}

/** One approval as the report lists it: who answered what, and when. */
export function approvalOutcome(approval: ApprovalView): string {
  const at = approval.answeredAt === null ? '' : ` at ${iso(approval.answeredAt)}`;
  switch (approval.state) {
    case 'approved':
    case 'rejected':
      return `${approval.state} by ${approval.answeredBy ?? 'unknown'}${at}`;
    case 'timed_out':
      return `no answer; the timeout gave its default (${String(approval.answer)})${at}`;
    case 'stopped':
      return `never answered: the run stopped${at}`;
    default:
      return `waiting since ${iso(approval.askedAt)}${timeoutNote(approval)}`;
  }
}

function timeoutNote(approval: ApprovalView): string {
  return approval.timeoutAt === null ? '' : ` (${String(approval.default)} at ${iso(approval.timeoutAt)} unless answered)`;
}

/** To the second: milliseconds are noise to a person reading when someone answered. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
