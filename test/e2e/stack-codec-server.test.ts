// `baton up` starts a codec server and points the dev server's UI at it, so the local UI
// decodes the payloads a history only references; `baton down` stops it with the rest.
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../harness/free-port.js';
import { startModelServer, type ModelServer } from '../model-server/index.js';
import { runCli } from './cli-process.js';
import { tempDir } from '../harness/temp-dir.js';

let modelServer: ModelServer | undefined;
let env: Record<string, string> | undefined;

afterAll(async () => {
  if (env) await runCli(['down'], { env });
  await modelServer?.close();
});

it("baton up points the UI at its codec server, which answers the UI's page; baton down stops it", { timeout: 240_000 }, async () => {
  modelServer = await startModelServer();
  const [port, uiPort, codecPort] = [await freePort(), await freePort(), await freePort()];
  env = {
    PATH: process.env.PATH ?? '',
    HOME: tempDir('baton-codec-home-'),
    BATON_HOME: tempDir('baton-codec-up-'),
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: modelServer.url,
  };
  const up = await runCli(['up', '--port', String(port), '--ui-port', String(uiPort), '--codec-port', String(codecPort)], { env, timeoutMs: 200_000 });
  expect(up.code, up.stdout + up.stderr).toBe(0);
  expect(up.stdout).toContain(`codec server started`);

  // The UI's own settings name the codec server as its endpoint.
  const settings = (await (await fetch(`http://127.0.0.1:${uiPort}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
  expect(settings.Codec.Endpoint).toBe(`http://127.0.0.1:${codecPort}`);

  // As the UI's page calls it: a preflight, then a decode, from the UI's origin.
  const origin = `http://localhost:${uiPort}`;
  const preflight = await fetch(`http://127.0.0.1:${codecPort}/decode`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  const payload = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') };
  const decoded = await fetch(`http://127.0.0.1:${codecPort}/decode`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', 'x-namespace': 'default' },
    body: JSON.stringify({ payloads: [payload] }),
  });
  expect(decoded.headers.get('access-control-allow-origin')).toBe(origin);
  expect(await decoded.json()).toEqual({ payloads: [payload] });

  const down = await runCli(['down'], { env });
  expect(down.stdout).toMatch(/codec-server stopped \(pid \d+\)/);
  await expect(fetch(`http://127.0.0.1:${codecPort}/decode`, { method: 'POST', body: '{"payloads":[]}' })).rejects.toThrow();
  env = undefined;
});
