// The worker's agent slots (workers/eager-when-idle.ts): an eager start is granted only with a
// free slot while some poll has waited without a task, and a freed slot goes to a waiting poller
// before any eager start, so a backlog on the queue always gets it.
import { expect, it } from 'vitest';
import type { ActivitySlotInfo, SlotPermit } from '@temporalio/worker';
import { EagerWhenIdleSlots } from '../../workers/eager-when-idle.js';

const info: ActivitySlotInfo = { type: 'activity', activityType: 'runAgent' };
const ctx = { slotType: 'activity' as const, taskQueue: 'q', workerIdentity: 'w', workerBuildId: '', isSticky: false };

function slots(count: number, eagerAllowed = () => true) {
  let now = 1_000;
  const supplier = new EagerWhenIdleSlots({ slots: count, eagerAllowed, now: () => now });
  return { supplier, advance: (ms: number) => (now += ms) };
}

it('grants an eager start once a poll has waited without a task, and not before', async () => {
  const { supplier, advance } = slots(4);
  await supplier.reserveSlot(ctx, new AbortController().signal);
  expect(supplier.tryReserveSlot(ctx)).toBeNull();
  advance(25);
  expect(supplier.tryReserveSlot(ctx)).not.toBeNull();
  expect(supplier.counts).toEqual({ eager: 1, refused: 1 });
});

it('refuses an eager start while every poll has just brought a task (a backlog)', async () => {
  const { supplier, advance } = slots(4);
  const polled = await supplier.reserveSlot(ctx, new AbortController().signal);
  advance(2);
  supplier.markSlotUsed({ slotInfo: info, permit: polled });
  advance(100);
  expect(supplier.tryReserveSlot(ctx)).toBeNull();
});

it('refuses an eager start while the queue has a rate limit', async () => {
  const { supplier, advance } = slots(4, () => false);
  await supplier.reserveSlot(ctx, new AbortController().signal);
  advance(1_000);
  expect(supplier.tryReserveSlot(ctx)).toBeNull();
});

it('hands a freed slot to a waiting poller before any eager start, and never issues more than its slots', async () => {
  const { supplier, advance } = slots(2);
  const running: SlotPermit[] = [];
  for (let i = 0; i < 2; i++) {
    const permit = await supplier.reserveSlot(ctx, new AbortController().signal);
    supplier.markSlotUsed({ slotInfo: info, permit });
    running.push(permit);
  }
  let polled: SlotPermit | undefined;
  const waiting = supplier.reserveSlot(ctx, new AbortController().signal).then((permit) => (polled = permit));
  advance(1_000);
  expect(supplier.tryReserveSlot(ctx)).toBeNull();
  supplier.releaseSlot({ slotInfo: info, permit: running[0]! });
  await waiting;
  expect(polled).toBeDefined();
  // The poller holds the freed slot; the other still runs: nothing is left for an eager start.
  advance(1_000);
  expect(supplier.tryReserveSlot(ctx)).toBeNull();
});

it('drops an aborted poll from the waiters, so a freed slot is not lost to it', async () => {
  const { supplier, advance } = slots(1);
  const first = await supplier.reserveSlot(ctx, new AbortController().signal);
  supplier.markSlotUsed({ slotInfo: info, permit: first });
  const abort = new AbortController();
  const aborted = supplier.reserveSlot(ctx, abort.signal);
  abort.abort(new Error('no longer needed'));
  await expect(aborted).rejects.toThrow('no longer needed');
  supplier.releaseSlot({ slotInfo: info, permit: first });
  const next = await supplier.reserveSlot(ctx, new AbortController().signal);
  advance(25);
  expect(next).toBeDefined();
  // One slot, held by the new poll: an eager start would exceed it.
  expect(supplier.tryReserveSlot(ctx)).toBeNull();
});

it('still sees a quiet queue as empty after many polls that each waited long before a task', async () => {
  const { supplier, advance } = slots(4);
  // A poll that waits half a second for a task waited idle: it says nothing about the round trip.
  for (let i = 0; i < 40; i++) {
    const polled = await supplier.reserveSlot(ctx, new AbortController().signal);
    advance(500);
    supplier.markSlotUsed({ slotInfo: info, permit: polled });
    supplier.releaseSlot({ slotInfo: info, permit: polled });
  }
  const quick = await supplier.reserveSlot(ctx, new AbortController().signal);
  advance(3);
  supplier.markSlotUsed({ slotInfo: info, permit: quick });
  await supplier.reserveSlot(ctx, new AbortController().signal);
  advance(25);
  expect(supplier.tryReserveSlot(ctx)).not.toBeNull();
});

it('waits longer before counting the queue empty when even the fastest delivery is slow (a distant server)', async () => {
  const { supplier, advance } = slots(8);
  for (let i = 0; i < 3; i++) {
    const polled = await supplier.reserveSlot(ctx, new AbortController().signal);
    advance(40);
    supplier.markSlotUsed({ slotInfo: info, permit: polled });
  }
  await supplier.reserveSlot(ctx, new AbortController().signal);
  advance(60);
  expect(supplier.tryReserveSlot(ctx)).toBeNull();
  advance(70);
  expect(supplier.tryReserveSlot(ctx)).not.toBeNull();
});
