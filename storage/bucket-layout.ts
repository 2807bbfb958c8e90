// Where each kind of object lives under a deployment's s3://BUCKET/PREFIX/. The two folders
// have different lifetimes, so a bucket lifecycle rule per folder can expire them safely:
//
//   payloads/<namespace>/<workflowId>/<sha256>   payloads over 16 KiB (prompts, results, args,
//       heartbeat details), put by Temporal's External Storage. A history refers to them for as
//       long as it exists: expire only after the longest run plus the namespace's retention.
//   schedules/<namespace>/<scheduleId>/<sha256>   a schedule's own payloads over 16 KiB (a pinned
//       script, big args): every firing refers to them, so they live as long as the schedule.
//       No expiry rule here.
//   checkpoints/slots/<workflowId>/<runId>/<activityId>   each running agent's latest checkpoint
//       record; deleted when the agent ends.
//   checkpoints/blobs/<sha256>   checkpoints too big to heartbeat inline; needed only while their
//       agent runs: expire after the longest agent timeout (all attempts).
//   scores/<workflowId>   scores given to a run after it ended (`baton score`): a small JSON record,
//       kept as long as the run is looked at. No expiry rule here, or expire with the histories.
//
// Objects are rewritten whenever they are needed again, so an object's age is the time since it
// was last written, never the time since its content first appeared.

export const PAYLOADS_FOLDER = 'payloads/';
export const SCHEDULE_PAYLOADS_FOLDER = 'schedules/';
export const CHECKPOINT_SLOTS_FOLDER = 'checkpoints/slots/';
export const CHECKPOINT_BLOBS_FOLDER = 'checkpoints/blobs/';
export const SCORES_FOLDER = 'scores/';

/** One key segment from an id a user chose (workflow ids may hold '/', spaces, anything). */
export function keySegment(id: string | undefined): string {
  return id ? encodeURIComponent(id) : '_';
}
