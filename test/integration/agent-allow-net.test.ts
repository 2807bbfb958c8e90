// `--allow-net` through the whole path (issue 17): the run's list reaches every agent's Bash
// sandbox, and an agent's own `allowNet` option only narrows it; an entry the run does not
// allow gives that agent nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../activities/sandbox/sandbox-support.js';
import { firstUserText, previousToolUses, reply, text, toolResults, toolUse } from '../model-server/index.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';

const support = await sandboxSupport();
const usable = support.available && support.socat !== null;
if (!usable) console.warn(`--allow-net integration test skipped: ${support.available ? 'socat is not installed' : support.cause}`);

let h: Harness;
const servers: http.Server[] = [];
const ports: number[] = [];
const workspace = mkdtempSync(join(tmpdir(), 'baton-allow-net-ws-'));

describe.skipIf(!usable)('--allow-net and agent() allowNet', () => {
  beforeAll(async () => {
    for (const name of ['one', 'two', 'three']) {
      const server = http.createServer((_req, res) => res.end(`server ${name}`));
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      ports.push((server.address() as AddressInfo).port);
    }
    const fetchAll = ports.map((p) => `curl -sS --max-time 5 http://127.0.0.1:${p}/; echo`).join('; ');
    // Each agent runs the same command, then answers with what it printed.
    h = await startHarness({
      bundle: await bundleInterpreter(),
      responder: (request) =>
        previousToolUses(request).length === 0
          ? reply(toolUse('Bash', { command: fetchAll }))
          : reply(text(`${firstUserText(request)}: ${String(toolResults(request)[0]!.content)}`)),
    });
  });

  afterAll(async () => {
    await h?.close();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(workspace, { recursive: true, force: true });
  });

  it("gives each agent the run's hosts, narrowed by its own option", async () => {
    const [one, two, three] = ports;
    const report = await h.run(
      script(`
const all = await agent('all')
const narrowed = await agent('narrowed', { allowNet: ['127.0.0.1:${two}'] })
const widened = await agent('widened', { allowNet: ['127.0.0.1:${three}'] })
return { all, narrowed, widened }`),
      { workspace, allow: ['Bash'], allowNet: [`127.0.0.1:${one}`, `127.0.0.1:${two}`] },
    );
    const result = report.result as Record<string, string>;
    expect(result.all).toContain('server one');
    expect(result.all).toContain('server two');
    expect(result.all).not.toContain('server three');
    expect(result.narrowed).not.toContain('server one');
    expect(result.narrowed).toContain('server two');
    expect(result.narrowed).toContain(`- network: 127.0.0.1:${one}`);
    expect(result.widened).not.toMatch(/server (one|two|three)/);
    expect(result.widened).toContain(`- network: 127.0.0.1:${three}`);
  });
});
