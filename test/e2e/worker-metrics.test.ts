// `baton worker --metrics-port` serves the SDK's worker metrics for Prometheus to scrape.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, inject, it } from 'vitest';
import { freePort } from '../harness/free-port.js';
import { cliEnv } from './cli-process.js';

const batonBin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
let stop: (() => Promise<void>) | undefined;

// The worker must be gone when the file ends: SIGTERM, and SIGKILL if it still runs after 10 s.
afterAll(async () => stop?.());

it('serves Prometheus metrics of the worker', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const env = cliEnv(inject('temporalAddress'), { ANTHROPIC_API_KEY: 'test-key' });
  const child = spawn(process.execPath, [batonBin, 'worker', '--metrics-port', String(port)], { env, stdio: 'ignore' });
  stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });

  let body = '';
  for (let i = 0; i < 100 && !body.includes('temporal_request'); i++) {
    await new Promise((r) => setTimeout(r, 300));
    body = await fetch(`http://127.0.0.1:${port}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
  }
  expect(body).toMatch(/^temporal_\w+/m);
  expect(body).toContain('temporal_request');
  expect(body).toContain('service_name="temporal-core-sdk"');
});
