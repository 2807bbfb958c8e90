#!/usr/bin/env node
// A bare Temporal worker for the floor under bench:makespan (scripts/bench-floor/workflow.mjs):
// its one activity streams one model call with the Anthropic SDK, as an agent's one turn does,
// and nothing else. Configured by the bench's fleet environment (TEMPORAL_ADDRESS,
// BATON_TASK_QUEUE, ANTHROPIC_BASE_URL); prints "polling task queue" once it polls.
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { NativeConnection, Worker } from '@temporalio/worker';

const slots = Number(process.argv[2] ?? 32);
const model = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, baseURL: process.env.ANTHROPIC_BASE_URL, maxRetries: 0 });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.BATON_TASK_QUEUE,
  workflowsPath: fileURLToPath(new URL('./workflow.mjs', import.meta.url)),
  activities: {
    async callModel({ prompt }) {
      const stream = model.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] });
      const message = await stream.finalMessage();
      return message.content.find((block) => block.type === 'text')?.text ?? '';
    },
  },
  maxConcurrentActivityTaskExecutions: slots,
});
process.once('SIGTERM', () => worker.shutdown());
console.error('polling task queue');
await worker.run();
await connection.close();
