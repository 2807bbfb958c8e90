// `baton approve RUN [--reject]` (docs/runs.md#approvals): a Temporal update rather than a signal, so the run's
// validator refuses an answer nobody asked for and the CLI learns what it answered. Definitions only.
import { defineUpdate } from './message-definitions.js';
import type { ApprovalReply } from '../contract/approval-types.js';
import type { SteeringAnswer } from '../contract/run-types.js';

/** Answers the oldest waiting approve() call: it resolves to `reply.approve`. */
export const approveRunUpdate = defineUpdate<SteeringAnswer, [ApprovalReply]>('batonApprove');
