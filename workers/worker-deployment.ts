// Safe interpreter upgrades (docs/fleet.md#upgrading-workers-under-running-runs) with Temporal's Worker Deployment versioning: a worker
// started with `--deployment NAME` registers the version NAME/BUILD_ID, and its workflows (the
// interpreter among them) are Pinned, so a run is served by the version it
// started on until it ends or continues as new. Unversioned workers (no --deployment) keep
// today's behaviour: every worker on the queue serves every run.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import { PREBUILT_BUNDLE_PATH } from './workflow-bundle.js';

export interface WorkerDeployment {
  /** The Worker Deployment's name, e.g. `baton` (one per fleet and task queue). */
  name: string;
  /** This worker's version of it: the same code must carry the same build id everywhere. */
  buildId: string;
}

/** The SDK's options for a versioned worker; none for an unversioned one. */
export function deploymentOptions(deployment: WorkerDeployment | undefined): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (!deployment) return {};
  return {
    workerDeploymentOptions: {
      version: { deploymentName: deployment.name, buildId: deployment.buildId },
      useWorkerVersioning: true,
      // Pinned: a run never meets another version's interpreter code. Set for the worker, not
      // on the workflow, because a workflow annotated Pinned fails on an unversioned worker.
      defaultVersioningBehavior: 'PINNED',
    },
  };
}

/**
 * The default build id: the package's version and a hash of the workflow bundle the worker runs
 * (`0.1.0-3f2a9c1b7d4e`), so two workers with the same interpreter code agree without being told
 * and a changed interpreter is a new version. Without a prebuilt bundle, the version alone.
 */
export function defaultBuildId(bundlePath: string | undefined): string {
  // dist/workflows/bundle.js sits two levels below the package.json.
  const root = resolve(PREBUILT_BUNDLE_PATH, '../../..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  if (!bundlePath || !existsSync(bundlePath)) return version;
  const digest = createHash('sha256').update(readFileSync(bundlePath)).digest('hex').slice(0, 12);
  return `${version}-${digest}`;
}

/** The gRPC calls `adoptIfNew` makes; the worker's NativeConnection has them. */
export interface DeploymentService {
  describeWorkerDeployment(request: { namespace: string; deploymentName: string }): Promise<{
    conflictToken?: Uint8Array | null;
    workerDeploymentInfo?: {
      routingConfig?: { currentDeploymentVersion?: { buildId?: string | null } | null; currentVersionChangedTime?: unknown } | null;
    } | null;
  }>;
  setWorkerDeploymentCurrentVersion(request: {
    namespace: string;
    deploymentName: string;
    buildId: string;
    conflictToken?: Uint8Array | null;
    identity: string;
  }): Promise<unknown>;
}

/**
 * A deployment nobody has routed yet sends runs nowhere: its first version becomes current, so
 * the first `baton worker --deployment NAME` of a fleet needs no extra command. A deployment
 * whose current version was ever set (or set back to unversioned) is left to its operator.
 * Resolves with the build made current, or null. The version exists once the worker polls.
 */
export async function adoptIfNew(service: DeploymentService, namespace: string, deployment: WorkerDeployment, stopped: () => boolean): Promise<string | null> {
  for (let attempt = 0; attempt < 50 && !stopped(); attempt++) {
    try {
      const described = await service.describeWorkerDeployment({ namespace, deploymentName: deployment.name });
      const routing = described.workerDeploymentInfo?.routingConfig;
      if (routing?.currentDeploymentVersion?.buildId || routing?.currentVersionChangedTime) return null;
      await service.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName: deployment.name,
        buildId: deployment.buildId,
        conflictToken: described.conflictToken ?? null,
        identity: 'baton worker',
      });
      return deployment.buildId;
    } catch {
      // Not registered yet (the worker has not polled), or another worker won the race: look again.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return null;
}
