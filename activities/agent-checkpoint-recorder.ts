// One attempt's side of checkpointing: it reads what the previous attempt left in its last
// heartbeat, saves each completed turn, and puts the latest saved checkpoint into every
// heartbeat this attempt sends (Temporal keeps only the last details, so a progress heartbeat
// without it would erase the checkpoint).
import type { TokenUsage } from '../contract/run-types.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { CheckpointSlots } from '../storage/checkpoint-slots.js';
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
  /**
   * Saves a completed turn, durably when a slot is configured, before the loop's next model
   * call; never rejects (a turn that cannot be saved leaves the previous checkpoint in place).
   */
  save(conversation: Conversation, progress: ProgressSnapshot): Promise<void>;
  /** Called when the resumed conversation cannot continue (its files are gone): later heartbeats stop offering it. */
  abandon(reason: string): void;
  /** Called when a completed turn could not be checkpointed for a reason outside this module (its files' snapshot). */
  skipped(reason: string): void;
}

/** This agent's named record in the checkpoint slots (see storage/checkpoint-slots.ts). */
export interface CheckpointSlot {
  slots: CheckpointSlots;
  name: string;
  /** A retry reads the slot (even when no heartbeat of the earlier attempt reached Temporal); a first attempt only writes it. */
  retry: boolean;
}

export class CheckpointRecorder implements Checkpoints {
  private constructor(
    readonly resume: Resume | null,
    private ref: CheckpointRef | undefined,
    private readonly store: BlobStore | undefined,
    private readonly warn: (message: string) => void,
    private readonly slot: CheckpointSlot | undefined,
  ) {}

  /**
   * `details` are the previous attempt's last heartbeat details (undefined on a first attempt);
   * `slot`, when given, may hold a later checkpoint than the last heartbeat that reached Temporal.
   */
  static async restore(details: unknown, store: BlobStore | undefined, warn: (message: string) => void, slot?: CheckpointSlot): Promise<CheckpointRecorder> {
    const earlier = further(readHeartbeatDetails(details), slot?.retry ? await readSlot(slot, warn) : null);
    if (!earlier) return new CheckpointRecorder(null, undefined, store, warn, slot);
    let conversation: Conversation | null = null;
    if (earlier.checkpoint) {
      try {
        conversation = await decodeCheckpoint(earlier.checkpoint, store);
      } catch (e) {
        warn(`The agent starts its conversation over: its checkpoint could not be read (${(e as Error).message}).`);
      }
    }
    return new CheckpointRecorder({ usage: earlier.usage, conversation }, conversation ? earlier.checkpoint : undefined, store, warn, slot);
  }

  async save(conversation: Conversation, progress: ProgressSnapshot): Promise<void> {
    try {
      this.ref = await encodeCheckpoint(conversation, this.store);
    } catch (e) {
      return this.skipped(`turn ${conversation.turns} could not be checkpointed (${(e as Error).message})`);
    }
    if (!this.slot) return;
    try {
      await this.slot.slots.write(this.slot.name, JSON.stringify(this.details(progress)));
    } catch (e) {
      this.warn(`Agent checkpoint of turn ${conversation.turns} only in the heartbeat: its slot could not be written (${(e as Error).message}).`);
    }
  }

  /** The agent ended (either way): its slot is no longer needed. */
  async close(): Promise<void> {
    await this.slot?.slots.remove(this.slot.name).catch(() => undefined);
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

async function readSlot(slot: CheckpointSlot | undefined, warn: (message: string) => void): Promise<HeartbeatDetails | null> {
  if (!slot) return null;
  try {
    const record = await slot.slots.read(slot.name);
    return record === null ? null : readHeartbeatDetails(JSON.parse(record));
  } catch (e) {
    warn(`The agent's checkpoint slot could not be read (${(e as Error).message}); using its last heartbeat.`);
    return null;
  }
}

/** Of the last heartbeat and the slot, the one further into the conversation. */
function further(heartbeat: HeartbeatDetails | null, slot: HeartbeatDetails | null): HeartbeatDetails | null {
  if (!heartbeat || !slot) return heartbeat ?? slot;
  const checkpointed = (d: HeartbeatDetails) => (d.checkpoint ? d.turns : -1);
  return checkpointed(slot) > checkpointed(heartbeat) ? slot : heartbeat;
}
