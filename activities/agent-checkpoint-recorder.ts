// One attempt's side of checkpointing: it reads what the previous attempt left in its last
// heartbeat, saves each completed turn, and puts the latest saved checkpoint into every
// heartbeat this attempt sends (Temporal keeps only the last details, so a progress heartbeat
// without it would erase the checkpoint).
import type { TokenUsage } from '../contract/run-types.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { ProgressSnapshot } from './agent-progress.js';
import { decodeCheckpoint, encodeCheckpoint, readHeartbeatDetails, type CheckpointRef, type Conversation, type HeartbeatDetails } from './agent-checkpoint.js';

/** Where an earlier attempt left off: the usage it spent, and its conversation when one can be resumed. */
export interface Resume {
  usage: TokenUsage;
  conversation: Conversation | null;
}

/** What the agent loop needs from checkpointing; it keeps the loop free of Temporal and storage. */
export interface Checkpoints {
  readonly resume: Resume | null;
  /** Saves a completed turn; never rejects (a turn that cannot be saved leaves the previous checkpoint in place). */
  save(conversation: Conversation): Promise<void>;
  /** Called when the resumed conversation cannot continue (its files are gone): later heartbeats stop offering it. */
  abandon(reason: string): void;
  /** Called when a completed turn could not be checkpointed for a reason outside this module (its files' snapshot). */
  skipped(reason: string): void;
}

export class CheckpointRecorder implements Checkpoints {
  private constructor(
    readonly resume: Resume | null,
    private ref: CheckpointRef | undefined,
    private readonly store: BlobStore | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /** `details` are the previous attempt's last heartbeat details (undefined on a first attempt). */
  static async restore(details: unknown, store: BlobStore | undefined, warn: (message: string) => void): Promise<CheckpointRecorder> {
    const earlier = readHeartbeatDetails(details);
    if (!earlier) return new CheckpointRecorder(null, undefined, store, warn);
    let conversation: Conversation | null = null;
    if (earlier.checkpoint) {
      try {
        conversation = await decodeCheckpoint(earlier.checkpoint, store);
      } catch (e) {
        warn(`The agent starts its conversation over: its checkpoint could not be read (${(e as Error).message}).`);
      }
    }
    return new CheckpointRecorder({ usage: earlier.usage, conversation }, conversation ? earlier.checkpoint : undefined, store, warn);
  }

  async save(conversation: Conversation): Promise<void> {
    try {
      this.ref = await encodeCheckpoint(conversation, this.store);
    } catch (e) {
      this.skipped(`turn ${conversation.turns} could not be checkpointed (${(e as Error).message})`);
    }
  }

  abandon(reason: string): void {
    this.ref = undefined;
    this.warn(`The agent starts its conversation over: ${reason}.`);
  }

  skipped(reason: string): void {
    const fallback = this.ref ? 'a retry would resume from the previous checkpoint' : 'a retry would start the conversation over';
    this.warn(`Agent checkpoint skipped: ${reason}; ${fallback}.`);
  }

  /** A progress snapshot plus the checkpoint a retry would resume from. */
  details(progress: ProgressSnapshot): HeartbeatDetails {
    return this.ref ? { ...progress, checkpoint: this.ref } : progress;
  }
}
