// The data of approve() (docs/runs.md#approvals) and of notifications, shared by the interpreter, the worker and
// the CLI. Pure types only, so the workflow sandbox can import this file.

/** Where one approve() call stands: `waiting` until a person answers, its timeout passes, or the run stops. */
export type ApprovalState = 'waiting' | 'approved' | 'rejected' | 'timed_out' | 'stopped';

/** One approve() call, in call order (`q1`, `q2`, ...): the report shows every one, answered or not. */
export interface ApprovalView {
  id: string;
  message: string;
  state: ApprovalState;
  /** What approve() resolved to; null while waiting (and for a stopped run). */
  answer: boolean | null;
  /** Epoch ms (workflow time) the script asked. */
  askedAt: number;
  /** When the answer came (or the timeout passed); null while waiting. */
  answeredAt: number | null;
  /** Who answered: `user@host` of `baton approve`, `--auto-approve`, or `timeout`. */
  answeredBy: string | null;
  /** With `timeout`: when the default applies. */
  timeoutAt: number | null;
  /** With `timeout`: what approve() resolves to when it passes. */
  default: boolean | null;
}

/** What `baton approve RUN [--reject]` sends: the oldest waiting approval gets it. */
export interface ApprovalReply {
  approve: boolean;
  /** Who answers, for the report (`user@host`; `baton approve` always sends it, a raw update may not). */
  by?: string;
  /** The approval the person saw (`q2`): refused when another one is first in line by then. */
  id?: string;
}

/**
 * One `--notify URL`, as the workflow input carries it: the URL itself (credentials and all) sits in
 * the deployment's blob store under `ref`, so no history, log or status ever holds it; `shown` is
 * its scheme and host, for messages.
 */
export interface NotifyTarget {
  ref: string;
  shown: string;
}

/** Why a notification is sent: the run started waiting at approve(), or it ended. */
export type NotifyEvent = 'waiting' | 'ended';
