// The Temporal UI as the ops console: a finished run's page shows the run's summary
// (`name: description`) and each agent activity's summary (`Phase · label · model`).
// Headless Debian Chromium drives the dev server's own UI; the screenshot is kept in
// test/artifacts/ for a human to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { firstUserText, hasTool, reply, startModelServer, structured, text, type ModelServer } from '../model-server/index.js';
import { startDevServer, type RunningDevServer } from '../harness/temporal-dev-server.js';
import { cliEnv, runCli, startWorkerProcess, type WorkerProcess } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';
const reviewScript = fileURLToPath(new URL('../../examples/review-changes.js', import.meta.url));
const artifacts = fileURLToPath(new URL('../artifacts/', import.meta.url));
const noChromium = !existsSync(CHROMIUM);
if (noChromium) console.warn(`temporal-ui.test.ts skipped: no ${CHROMIUM} (.ci/run installs Debian's chromium)`);

/** The text of the page and of every frame in it (the UI renders markdown in sandboxed frames). */
async function framesText(page: import('playwright-core').Page): Promise<string> {
  const texts = await Promise.all(
    page.frames().map((frame) =>
      frame
        .locator('body')
        .innerText()
        .catch(() => ''),
    ),
  );
  return texts.join('\n');
}

describe.skipIf(noChromium)('the Temporal UI shows a Baton run', () => {
  let server: RunningDevServer;
  let modelServer: ModelServer;
  let worker: WorkerProcess;
  let browser: Browser;

  beforeAll(async () => {
    // Its own server: the shared test server runs without the UI.
    mkdirSync(artifacts, { recursive: true });
    server = await startDevServer({ withUi: true, dbFile: join(tempDir('baton-ui-'), 'temporal.db') });
    modelServer = await startModelServer({
      responder: (request) => {
        if (!hasTool(request, 'StructuredOutput')) return reply(text('ok'));
        const prompt = firstUserText(request);
        return reply(structured(prompt.includes('refute') ? { real: true } : { findings: [{ title: 'unchecked null' }] }));
      },
    });
    const env = cliEnv(server.address, { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: modelServer.url });
    worker = await startWorkerProcess(env);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    Object.assign(globalThis, { uiTestEnv: env });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await modelServer?.close();
    await server?.stop();
  });

  it('renders the run summary and an agent summary', { timeout: 120_000 }, async () => {
    const env = (globalThis as unknown as { uiTestEnv: Record<string, string> }).uiTestEnv;
    const run = await runCli(['run', reviewScript, '--yes', '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    const { workflowId } = JSON.parse(run.stdout);

    const page = await browser.newPage({ viewport: { width: 1600, height: 1400 } });
    await page.goto(`http://localhost:${server.uiPort}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
    // Agent activities carry `Phase · label · model` as their summary in the event history.
    await page.getByText('Review · review bugs · claude-sonnet-5-5').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: `${artifacts}temporal-ui-run.png`, fullPage: true });
    // The run's summary and details are on the User Metadata tab, rendered as markdown in frames.
    await page.getByRole('tab', { name: /User Metadata/ }).click();
    await expect
      .poll(async () => (await framesText(page)).includes('review-changes: Review the diff across dimensions, verify each finding'), { timeout: 30_000 })
      .toBe(true);
    await page.screenshot({ path: `${artifacts}temporal-ui-metadata.png`, fullPage: true });
    await page.close();
  });
});
