// The deploy recipe as an operator runs it: deploy/compose.yaml (Temporal on PostgreSQL, its UI,
// Baton's search attributes, two workers built from deploy/Dockerfile) with the offline overlay
// (each worker talks to the bundled test model), one example run through `baton` inside the
// stack, then everything torn down. Needs a Docker engine and Docker Compose v2; where there is
// none, the test is skipped and says why.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Connection, WorkflowClient } from '@temporalio/client';
import { DockerComposeEnvironment, Wait, getContainerRuntimeClient } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir.js';

const deployDir = fileURLToPath(new URL('../../deploy', import.meta.url));
const TASK_QUEUE = 'baton-smoke';

/** Null when a Docker engine answers and `docker compose` exists; else why the test cannot run. */
async function whyNoDocker(): Promise<string | null> {
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    return `no Docker engine answers (testcontainers: ${(error as Error).message})`;
  }
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
  } catch {
    return 'Docker Compose v2 (`docker compose`) is not installed';
  }
  return null;
}

const skipReason = await whyNoDocker();
if (skipReason) console.warn(`compose smoke test SKIPPED: ${skipReason}`);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('deploy/compose.yaml', () => {
  it.skipIf(skipReason !== null)(
    `runs the example review script on two workers${skipReason ? ` (skipped: ${skipReason})` : ''}`,
    async () => {
      const environment = await new DockerComposeEnvironment(deployDir, ['compose.yaml', 'compose.offline.yaml'])
        .withBuild()
        .withEnvironment({
          TEMPORAL_PORT: String(await freePort()),
          TEMPORAL_UI_PORT: String(await freePort()),
          WORKER_REPLICAS: '2',
          WORKER_CONCURRENCY: '4',
          BATON_TASK_QUEUE: TASK_QUEUE,
          WORKSPACE_DIR: tempDir('baton-compose-ws-'),
        })
        .withWaitStrategy('worker-1', Wait.forLogMessage('polling task queue'))
        .withWaitStrategy('worker-2', Wait.forLogMessage('polling task queue'))
        .withStartupTimeout(300_000)
        .up();
      let connection: Connection | undefined;
      try {
        const temporal = environment.getContainer('temporal-1');
        connection = await Connection.connect({ address: `${temporal.getHost()}:${temporal.getMappedPort(7233)}` });
        const client = new WorkflowClient({ connection, namespace: 'default' });

        // Both workers poll the one task queue.
        let pollers = 0;
        for (let i = 0; i < 20 && pollers < 2; i++) {
          const described = await client.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: TASK_QUEUE },
            taskQueueType: 2, // activity tasks
          });
          pollers = new Set((described.pollers ?? []).map((p) => p.identity)).size;
          if (pollers < 2) await new Promise((r) => setTimeout(r, 500));
        }
        expect(pollers).toBe(2);

        // A run started inside the stack, so the client shares the workers' blob store. The image
        // holds the npm package, installed globally; its examples/ come with it.
        const examples = '/usr/local/lib/node_modules/baton/examples';
        const run = await environment
          .getContainer('worker-1')
          .exec(['baton', 'run', `${examples}/review-changes.js`, '--yes', '--json', '--workspace', examples]);
        expect(run.exitCode, `baton run exited ${run.exitCode}\n${run.output}`).toBe(0);
        const report = JSON.parse(run.stdout) as { workflowId: string; status: string; agents: Record<string, number> };
        expect(report.status).toBe('completed');
        expect(report.agents).toMatchObject({ total: 4, succeeded: 4, failed: 0 });

        // Baton's search attributes are registered: the run is found by them.
        const query = `WorkflowId = "${report.workflowId}" AND BatonScript = "review-changes"`;
        let found = 0;
        for (let i = 0; i < 30 && found === 0; i++) {
          for await (const execution of client.list({ query })) if (execution.workflowId === report.workflowId) found++;
          if (found === 0) await new Promise((r) => setTimeout(r, 1000));
        }
        expect(found, `no run matched ${query}`).toBe(1);
      } finally {
        await connection?.close();
        await environment.down({ removeVolumes: true });
      }
    },
    20 * 60_000,
  );
});
