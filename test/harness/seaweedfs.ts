// A real S3 server for the object-store tests: SeaweedFS (`weed server ... -s3`) on free
// loopback ports with anonymous access, in its own process group so stopping it ends every
// process it started. scripts/install-seaweedfs.sh builds it into .tools/weed.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { projectRoot } from '../../stack/project-root.js';
import { freePort } from './free-port.js';

/**
 * The `weed` binary, or null (with the reason printed) when it is not installed. Under CI=true a
 * missing binary throws instead: CI installs it (scripts/test.sh), so its absence is a defect.
 */
export function findSeaweedFs(): string | null {
  // From the sources (tests) and from dist/ (the benchmark) alike.
  const weed = join(projectRoot(), '.tools', 'weed');
  try {
    accessSync(weed, constants.X_OK);
    return weed;
  } catch {
    const reason = `SeaweedFS is not installed at ${weed}; run 'bash scripts/install-seaweedfs.sh' (scripts/test.sh does)`;
    if (process.env.CI === 'true') throw new Error(`${reason}. CI must run the object-store tests.`);
    console.warn(`skipping the object-store tests: ${reason}.`);
    return null;
  }
}

export interface RunningSeaweedFs {
  /** http://127.0.0.1:PORT, the S3 endpoint (AWS_ENDPOINT_URL_S3). */
  endpoint: string;
  /** A bucket created for this server. */
  bucket: string;
  /** Environment for a Baton process using this server: endpoint, region, placeholder keys (access is anonymous). */
  env: Record<string, string>;
  /** A client on the bucket, for tests that look inside it. */
  client: S3Client;
  stop(): Promise<void>;
}

/** `ip` and `commandPrefix` put it on another host (a network namespace), listening on that host's address. */
export async function startSeaweedFs(weed: string, options: { bucket?: string; ip?: string; commandPrefix?: string[] } = {}): Promise<RunningSeaweedFs> {
  const ip = options.ip ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'baton-seaweedfs-'));
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await freePorts(8);
  const args = [
    // Its log files go in its own directory, removed with it, not in the OS's temporary directory.
    `-logdir=${dir}`,
    'server',
    `-dir=${dir}`,
    `-ip=${ip}`,
    `-ip.bind=${ip}`,
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    // Small volumes, allocated on demand: the tests store megabytes, not the 30 GB default.
    '-master.volumeSizeLimitMB=64',
    '-volume.max=0',
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    '-s3',
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    '-iam=false',
  ];
  // Its own process group: stop() signals the group, so nothing it started outlives the test.
  const [command, ...prefixArgs] = [...(options.commandPrefix ?? []), weed];
  const child = spawn(command!, [...prefixArgs, ...args], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const killGroup = () => signalGroup(child, 'SIGKILL');
  // Even if the test process dies without running its afterAll.
  process.once('exit', killGroup);

  const endpoint = `http://${ip}:${s3}`;
  const bucket = options.bucket ?? 'baton-test';
  const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'anonymous', AWS_SECRET_ACCESS_KEY: 'anonymous' };
  // As Baton's own client does (storage/s3-objects.ts): no notice about Node 22 in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const stop = async () => {
    client.destroy();
    process.removeListener('exit', killGroup);
    await stopGroup(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilWritable(client, bucket, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, bucket, env, client, stop };
}

async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * Up when the bucket exists and a small object can be written and read back: S3 answers after
 * ~2 s, but the first write waits for the filer to join the master's lock ring (~9 s more).
 */
async function waitUntilWritable(client: S3Client, bucket: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let created = false;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`SeaweedFS exited (${child.exitCode}): ${stderr()}`);
    try {
      if (!created) await client.send(new CreateBucketCommand({ Bucket: bucket }));
      created = true;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'probe', Body: 'ok' }));
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'probe' }));
      if ((await answer.Body?.transformToString()) === 'ok') return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`SeaweedFS did not serve S3 within 60 s: ${String(error)}\n${stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return signalGroup(child, 'SIGKILL');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
  // Anything left in the group (there should be nothing) goes too.
  signalGroup(child, 'SIGKILL');
}
