// Prompts and results far over Temporal's 2 MB payload limit: the run completes and its
// history stays small, because big payloads travel as blob-store references (claim checks).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { firstUserText, reply, text } from '../model-server/index.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';

const MB = 1024 * 1024;
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    bundle: await bundleInterpreter(),
    // Answers with a result as long as the prompt it was given.
    responder: (request) => reply(text('r'.repeat(firstUserText(request).length))),
  });
});

afterAll(() => harness?.close());

it('runs a 10 MB prompt and returns a 10 MB result, with a history far under the limits', { timeout: 180_000 }, async () => {
  const handle = await harness.start(
    script(`
const prompt = args.text
const answer = await agent(prompt, { label: 'big' })
return { promptLength: prompt.length, answerLength: answer.length, answerStart: answer.slice(0, 3), echoed: prompt }
`),
    { args: { text: 'p'.repeat(10 * MB) } },
  );
  const report = (await handle.result()) as {
    status: string;
    result: { promptLength: number; answerLength: number; answerStart: string; echoed: string };
  };
  expect(report.status).toBe('completed');
  expect(report.result.promptLength).toBe(10 * MB);
  // One model answer is capped by max_tokens (16,000 tokens: 64,000 characters at the test
  // model's 4 characters a token); the run's own result carries the 10 MB back.
  expect(report.result.answerLength).toBe(64_000);
  expect(report.result.answerStart).toBe('rrr');
  expect(report.result.echoed.length).toBe(10 * MB);

  const history = await handle.fetchHistory();
  const historyBytes = Buffer.byteLength(JSON.stringify(history));
  // Every 10 MB payload (args, prompt, answer, result) is a reference of a few hundred bytes.
  expect(historyBytes).toBeLessThan(256 * 1024);
});
