// What a retried agent resumes from, and how it travels in a heartbeat. Temporal keeps an
// activity's last heartbeat details across attempts, so a checkpoint heartbeated after each
// completed turn (a model reply and all its tool results) lets the next attempt, on any worker,
// send the model exactly the conversation as it stood then.
//
// Heartbeat details: { turns, usage, lastToolCall, checkpoint? }. `usage` is everything spent
// by every attempt so far, so it is counted even when there is nothing to resume. `checkpoint`
// is the gzipped JSON of a Conversation: inline as base64 when that is at most
// INLINE_CHECKPOINT_MAX_CHARS, otherwise in the blob store with only its key heartbeated.
import type Anthropic from '@anthropic-ai/sdk';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import type { TokenUsage } from '../contract/run-types.js';
import type { BlobStore } from '../storage/blob-store.js';

/**
 * Largest inline checkpoint, in base64 characters. Heartbeat details are resent about every
 * second; this keeps them, with their progress fields, under the 16 KiB payload threshold, so
 * they are not written to the blob store (an object-store PUT) on every heartbeat: a bigger
 * checkpoint goes there once per completed turn instead.
 */
export const INLINE_CHECKPOINT_MAX_CHARS = 12 * 1024;
/** Bumped when the format changes; a checkpoint of another version is ignored (the agent starts over). */
export const CHECKPOINT_VERSION = 1;

/** An agent's conversation after its last completed turn. */
export interface Conversation {
  /** Exactly the `messages` of the next model request (before its cache breakpoint is added). */
  messages: Anthropic.MessageParam[];
  turns: number;
  lastToolCall: string | null;
  /** StructuredOutput attempts that failed so far: they count toward the limit across attempts. */
  structuredFailures: number;
  /** With `isolation: 'worktree'`: the snapshot commit of the agent's files at this turn. */
  snapshot: string | null;
  /**
   * With `--repo`: the blob key of a git bundle holding the snapshot and the agent's commits
   * since the pinned commit, so a retry on a worker whose repository cache lacks them fetches
   * them from the blob store (a fleet shares the object store, not disks). Absent before.
   */
  snapshotBundle?: string | null;
}

/** What a checkpoint records about the agent's files (AgentSession.snapshot). */
export type FilesSnapshot = Pick<Conversation, 'snapshot' | 'snapshotBundle'>;

export type CheckpointRef = { v: number; gzip: string } | { v: number; blob: string; bytes: number };

export interface HeartbeatDetails {
  turns: number;
  usage: TokenUsage;
  lastToolCall: string | null;
  checkpoint?: CheckpointRef;
}

const count = z.number().int().nonnegative();
const usageSchema = z.object({ input: count, output: count, cacheRead: count, cacheWrite: count });
const refSchema = z.union([z.object({ v: z.number(), gzip: z.string() }), z.object({ v: z.number(), blob: z.string(), bytes: count })]);
const detailsSchema = z.object({
  turns: count,
  usage: usageSchema,
  lastToolCall: z.string().nullable(),
  checkpoint: refSchema.optional(),
});
const conversationSchema = z.object({
  v: z.literal(CHECKPOINT_VERSION),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]) })).min(1),
  turns: count,
  lastToolCall: z.string().nullable(),
  structuredFailures: count,
  snapshot: z.string().nullable(),
  snapshotBundle: z.string().nullable().optional(),
});

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Thrown when heartbeat details hold a checkpoint this worker cannot use; the agent starts over. */
export class CheckpointUnreadable extends Error {
  override name = 'CheckpointUnreadable';
}

/** The details of an earlier attempt's last heartbeat, or null for anything that is not Baton's. */
export function readHeartbeatDetails(details: unknown): HeartbeatDetails | null {
  const parsed = detailsSchema.safeParse(details);
  return parsed.success ? parsed.data : null;
}

/** Rejects when the checkpoint is too big to inline and the blob store is missing or fails. */
export async function encodeCheckpoint(conversation: Conversation, store: BlobStore | undefined): Promise<CheckpointRef> {
  const zipped = await gzipAsync(JSON.stringify({ v: CHECKPOINT_VERSION, ...conversation }));
  const inline = zipped.toString('base64');
  if (inline.length <= INLINE_CHECKPOINT_MAX_CHARS) return { v: CHECKPOINT_VERSION, gzip: inline };
  if (!store) throw new Error(`The checkpoint is ${zipped.byteLength} bytes gzipped and no blob store is configured.`);
  return { v: CHECKPOINT_VERSION, blob: await store.put(zipped), bytes: zipped.byteLength };
}

export async function decodeCheckpoint(ref: CheckpointRef, store: BlobStore | undefined): Promise<Conversation> {
  if (ref.v !== CHECKPOINT_VERSION) throw new CheckpointUnreadable(`The checkpoint has format version ${ref.v}; this worker reads ${CHECKPOINT_VERSION}.`);
  let zipped: Uint8Array;
  if ('gzip' in ref) zipped = Buffer.from(ref.gzip, 'base64');
  else if (store) zipped = await store.get(ref.blob);
  else throw new CheckpointUnreadable(`The checkpoint is in blob ${ref.blob} and this worker has no blob store.`);
  let json: unknown;
  try {
    json = JSON.parse((await gunzipAsync(zipped)).toString('utf8'));
  } catch (e) {
    throw new CheckpointUnreadable(`The checkpoint is not gzipped JSON: ${(e as Error).message}`);
  }
  const parsed = conversationSchema.safeParse(json);
  if (!parsed.success) throw new CheckpointUnreadable(`The checkpoint does not have the expected shape: ${parsed.error.message}`);
  const { v: _version, ...conversation } = parsed.data;
  return { ...conversation, messages: conversation.messages as Anthropic.MessageParam[] };
}
