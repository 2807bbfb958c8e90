// setTimeout/clearTimeout and setInterval/clearInterval in a script (docs/script-language.md, Timers):
// durable workflow timers on a real dev server, callbacks in the order Node would run them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import type { RunReport } from '../../contract/run-types.js';
import { stopRunUpdate } from '../../contract/run-messages.js';
import { waitFor } from '../harness/wait-for.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';

const EventType = temporal.api.enums.v1.EventType;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter() });
});
afterAll(async () => h?.close());

async function events(handle: WorkflowHandle) {
  return (await handle.fetchHistory()).events ?? [];
}
const count = (list: Awaited<ReturnType<typeof events>>, type: number) => list.filter((e) => e.eventType === type).length;

describe('setTimeout and clearTimeout', () => {
  it('fire in delay order with their arguments; a cleared timer never fires, clearing again is a no-op', async () => {
    const handle = await h.start(
      script(`const order = [];
await new Promise((resolve) => {
  setTimeout((tag) => order.push(tag), 4000, 'late');
  const cancelled = setTimeout(() => order.push('cancelled'), 2500);
  setTimeout((a, b) => order.push(a + b), 300, 'ear', 'ly');
  setTimeout(() => order.push('next turn'));
  setTimeout(() => {
    clearTimeout(cancelled);
    clearTimeout(cancelled);
    clearTimeout(12345);
    clearTimeout(undefined);
    order.push('cleared');
  }, 1200);
  setTimeout(resolve, 5000);
  order.push('sync');
});
return order;`),
    );
    const report = (await handle.result()) as RunReport;
    expect(report.result).toEqual(['sync', 'next turn', 'early', 'cleared', 'late']);
    const history = await events(handle);
    // Five durable timers (setTimeout(fn) with no delay needs none), one of them cancelled.
    expect(count(history, EventType.EVENT_TYPE_TIMER_STARTED)).toBe(5);
    expect(count(history, EventType.EVENT_TYPE_TIMER_CANCELED)).toBe(1);
    expect(count(history, EventType.EVENT_TYPE_TIMER_FIRED)).toBe(4);
  });

  it('a throw in a callback fails the run at the callback’s line, as an uncaught exception ends Node', async () => {
    const { failure, report } = await h.fail(
      script(`await new Promise(() => {
  setTimeout(() => { throw new RangeError('boom in a timer'); }, 10);
});`),
    );
    expect(report.status).toBe('failed');
    expect(failure.message).toContain('RangeError: boom in a timer');
    expect(report.error?.line).toBe(3);
  });

  it('a script that ends with timers pending completes at once; the timers are dropped', async () => {
    const report = await h.run(
      script(`setInterval(() => log('tick'), 60000);
setTimeout(() => log('never'), 600000);
return 'done';`),
    );
    expect(report.status).toBe('completed');
    expect(report.result).toBe('done');
    expect(report.logs).toEqual([]);
  });

  it('baton stop while a long timer waits ends the run stopped, not after the wait', async () => {
    const handle = await h.start(script(`await new Promise((resolve) => setTimeout(resolve, 600000)); return 'waited';`));
    await waitFor('the timer to start', async () => count(await events(handle), EventType.EVENT_TYPE_TIMER_STARTED) === 1);
    await handle.executeUpdate(stopRunUpdate);
    const failure = await handle.result().catch((e: unknown) => e);
    const report = ((failure as { cause?: { details?: unknown[] } }).cause?.details?.[0] ?? null) as RunReport | null;
    expect(report?.status).toBe('stopped');
  });
});

describe('setInterval and clearInterval', () => {
  it('ticks with its arguments until cleared after three ticks, then never again', async () => {
    const report = await h.run(
      script(`const ticks = [];
await new Promise((resolve) => {
  const id = setInterval((label) => {
    ticks.push(label + ticks.length);
    if (ticks.length === 3) {
      clearInterval(id);
      setTimeout(resolve, 1500);
    }
  }, 400, 'tick');
});
return ticks;`),
    );
    expect(report.result).toEqual(['tick0', 'tick1', 'tick2']);
  });
});

describe('timers across continue-as-new', () => {
  it('a timer waiting when the run continues as new keeps its deadline in the next run', async () => {
    const handle = await h.start(
      script(`const first = await agent('before the wait');
await new Promise((resolve) => setTimeout(resolve, 4000));
return [first, await agent('after the wait')];`),
      { continueAsNewAfterAgents: 1 },
    );
    const report = (await handle.result()) as RunReport;
    expect(report.result).toEqual(['echo: before the wait', 'echo: after the wait']);
    // The agent before the wait ran once, in the first run; the next run took it from the journal.
    expect(h.modelServer.requests.filter((r) => JSON.stringify(r.body.messages).includes('before the wait'))).toHaveLength(1);
    // The last run waited only what was left of the four seconds.
    const timers = (await events(handle)).filter((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED);
    const waits = timers.map(
      (e) =>
        Number(e.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0) * 1000 + (e.timerStartedEventAttributes?.startToFireTimeout?.nanos ?? 0) / 1e6,
    );
    expect(waits.every((ms) => ms < 4000)).toBe(true);
  });
});
