// A checkpoint written to its slot before the next model call survives a worker killed before
// its heartbeat reached Temporal: the retry resumes from the further of the two.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';
import { CheckpointRecorder } from '../../activities/agent-checkpoint-recorder.js';
import type { Conversation } from '../../activities/agent-checkpoint.js';
import { LocalCheckpointSlots } from '../../storage/checkpoint-slots.js';

const usage = (output: number) => ({ input: 10, output, cacheRead: 0, cacheWrite: 0 });

function conversationAt(turns: number): Conversation {
  const messages: Conversation['messages'] = [{ role: 'user', content: 'start' }];
  for (let t = 1; t <= turns; t++) {
    messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: `toolu_${t}`, name: 'Glob', input: { pattern: '*' } }] });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu_${t}`, content: 'a.md' }] });
  }
  return { messages, turns, lastToolCall: 'Glob', structuredFailures: 0, snapshot: null };
}

describe('checkpoint slots', () => {
  const warn = () => {};

  it('resumes from the slot when it is further than the last heartbeat', async () => {
    const slots = new LocalCheckpointSlots(tempDir('slots-'));
    const first = await CheckpointRecorder.restore(undefined, undefined, warn, { slots, name: 'run/1/a1', retry: false });
    await first.save(conversationAt(1), { turns: 1, usage: usage(5), lastToolCall: 'Glob' });
    const lastHeartbeat = first.details({ turns: 1, usage: usage(5), lastToolCall: 'Glob' });
    // Turn 2 completes and is saved; the worker dies before that heartbeat is sent.
    await first.save(conversationAt(2), { turns: 2, usage: usage(9), lastToolCall: 'Glob' });

    const retry = await CheckpointRecorder.restore(lastHeartbeat, undefined, warn, { slots, name: 'run/1/a1', retry: true });
    expect(retry.resume?.conversation?.turns).toBe(2);
    expect(retry.resume?.conversation?.messages).toHaveLength(5);
    expect(retry.resume?.usage.output).toBe(9);
    // Even when no heartbeat of the killed attempt reached Temporal at all.
    const noHeartbeat = await CheckpointRecorder.restore(undefined, undefined, warn, { slots, name: 'run/1/a1', retry: true });
    expect(noHeartbeat.resume?.conversation?.turns).toBe(2);
  });

  it('uses the heartbeat when the slot is missing, and reads no slot on a first attempt', async () => {
    const slots = new LocalCheckpointSlots(tempDir('slots-'));
    const writer = await CheckpointRecorder.restore(undefined, undefined, warn, { slots, name: 'other', retry: false });
    await writer.save(conversationAt(1), { turns: 1, usage: usage(5), lastToolCall: 'Glob' });
    const heartbeat = writer.details({ turns: 1, usage: usage(5), lastToolCall: 'Glob' });

    const fromHeartbeat = await CheckpointRecorder.restore(heartbeat, undefined, warn, { slots, name: 'missing', retry: true });
    expect(fromHeartbeat.resume?.conversation?.turns).toBe(1);
    // A first attempt never reads a slot, whatever is in it.
    const fresh = await CheckpointRecorder.restore(undefined, undefined, warn, { slots, name: 'other', retry: false });
    expect(fresh.resume).toBeNull();
  });

  it('removes the slot when the agent ends', async () => {
    const slots = new LocalCheckpointSlots(tempDir('slots-'));
    const recorder = await CheckpointRecorder.restore(undefined, undefined, warn, { slots, name: 'run/1/a2', retry: false });
    await recorder.save(conversationAt(1), { turns: 1, usage: usage(5), lastToolCall: 'Glob' });
    expect(await slots.read('run/1/a2')).not.toBeNull();
    await recorder.close();
    expect(await slots.read('run/1/a2')).toBeNull();
  });
});
