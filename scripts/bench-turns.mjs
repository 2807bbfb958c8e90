#!/usr/bin/env node
// What a model turn costs the run's history and time now that every turn is reported to the run
// (docs/design.md#turn-reports-are-updates): N agents of T turns each (a Glob tool call per turn, L ms per model
// call) against the same N agents of one turn, so the difference is what the T-1 extra turns add.
// Prints events and encoded bytes per extra turn, the update events among them, and the time per
// turn beyond the model's. Asserts nothing.
//
//   npm run build && node scripts/bench-turns.mjs [--agents 16] [--turns 20] [--latency-ms 200] [--cap 16]
import proto from '@temporalio/proto';
import { reply, text, toolUse } from '../dist/test/model-server/index.js';
import { numericFlags, printTable, startBench } from './bench-harness.mjs';

const { EventType } = proto.temporal.api.enums.v1;
const o = numericFlags('node scripts/bench-turns.mjs: history events and bytes per agent turn', { agents: 16, turns: 20, 'latency-ms': 200, cap: 16 });

// `[turns=T]`: T-1 turns that call Glob, then a last turn that answers.
const responder = (request) => {
  const prompt = request.messages[0].content.map((b) => b.text ?? '').join('');
  const turns = Number(/\[turns=(\d+)\]/.exec(prompt)?.[1] ?? 1);
  const call = request.messages.filter((m) => m.role === 'assistant').length + 1;
  const content = call < turns ? [text(`step ${call}`), toolUse('Glob', { pattern: `*.${call}` })] : [text('done')];
  return { ...reply(...content), delayMs: o['latency-ms'] };
};

const script = (turns) => `export const meta = { name: 'bench-turns', description: 'benchmark: agents of many turns' }
await parallel(Array.from({ length: args.agents }, (_, i) => () => agent('agent ' + i + ' [turns=${turns}]')))
return 'done'
`;

const bench = await startBench({ responder });
try {
  const env = bench.fleetEnv('turns');
  await bench.startWorker(env, { concurrency: o.cap });
  await bench.warmUp(env);
  const options = { concurrency: o.cap, maxAgents: o.agents, args: { agents: o.agents } };
  const single = await bench.run(env, script(1), options);
  const multi = await bench.run(env, script(o.turns), options);
  const updates = async (workflowId) => {
    const history = await bench.client.getHandle(workflowId).fetchHistory();
    return history.events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).length;
  };
  const extraTurns = o.agents * (o.turns - 1);
  const waves = Math.ceil(o.agents / o.cap);
  const modelSeconds = (turns) => (waves * turns * o['latency-ms']) / 1000;
  const perTurnMs = (run, turns) => ((run.chain.agentSpanSeconds - modelSeconds(turns)) * 1000) / (waves * turns);
  const multiUpdates = await updates(multi.report.workflowId);
  console.log(
    `\nturns: ${o.agents} agents × ${o.turns} turns (a Glob call each), ${o['latency-ms']} ms per model call, cap ${o.cap}, one worker ` +
      `(status ${multi.report.status}; ${multi.chain.runs} run(s) in the chain)`,
  );
  printTable(
    ['measure', `1 turn each`, `${o.turns} turns each`, 'per extra turn'],
    [
      ['history events', single.chain.events, multi.chain.events, ((multi.chain.events - single.chain.events) / extraTurns).toFixed(2)],
      ['history bytes (encoded)', single.chain.bytes, multi.chain.bytes, `${((multi.chain.bytes - single.chain.bytes) / extraTurns).toFixed(0)} B`],
      ['turn-report updates accepted', await updates(single.report.workflowId), multiUpdates, (multiUpdates / extraTurns).toFixed(2)],
      ['agents span (s)', single.chain.agentSpanSeconds.toFixed(2), multi.chain.agentSpanSeconds.toFixed(2), ''],
      ['ms per turn beyond the model call', perTurnMs(single, 1).toFixed(0), perTurnMs(multi, o.turns).toFixed(0), ''],
    ],
  );
} finally {
  await bench.close();
}
