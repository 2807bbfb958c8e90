// docs/fleet.md#git-remotes: a run started with `--repo URL [--ref REF]` pins REF to one commit at its start, on a
// worker (the pinRepository activity, so it is in the history and replays), and every agent of
// the run, on any worker, sees exactly that commit. A run that continued as new, or was given a
// commit, has nothing to pin.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { RepoActivities } from '../activities/repo-activities.js';
import type { RepoSource } from '../contract/repo-source.js';
import { controlActivities, type ControlActivityOptions } from './control-activities.js';

const PIN_OPTIONS: ControlActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['RepositoryRefused', 'RefNotFound'] },
  summary: 'pin the repository',
};

/** The run's repository with its pinned commit; throws a non-retryable failure when it cannot be pinned. */
export async function pinRepo(repo: RepoSource): Promise<RepoSource> {
  if (repo.commit) return repo;
  try {
    const { commit } = await controlActivities<RepoActivities>(PIN_OPTIONS).pinRepository({ url: repo.url, ref: repo.ref });
    return { ...repo, commit };
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const type = error.cause instanceof ApplicationFailure && error.cause.type ? error.cause.type : 'RepositoryUnavailable';
    throw ApplicationFailure.create({ type, message: error.cause?.message ?? error.message, nonRetryable: true });
  }
}
