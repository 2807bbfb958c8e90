// The `pinRepository` activity (docs/fleet.md#git-remotes): a run started with `--repo URL [--ref REF]` resolves REF
// to one commit at its start, on a worker (where git's credentials are), and every agent of the
// run sees exactly that commit, even if the remote moves on.
import { ApplicationFailure } from '@temporalio/common';
import { repoUrlProblem, shownRepoUrl } from '../contract/repo-source.js';
import { git, GitCommandFailed } from './git-command.js';

export interface RepoActivities {
  pinRepository(source: { url: string; ref: string | null }): Promise<{ commit: string }>;
}

export function createRepoActivities(): RepoActivities {
  return {
    async pinRepository({ url, ref }) {
      const problem = repoUrlProblem(url);
      if (problem) throw ApplicationFailure.create({ type: 'RepositoryRefused', message: `--repo ${problem}.`, nonRetryable: true });
      if (ref !== null && /^[0-9a-f]{40}$/i.test(ref)) return { commit: ref.toLowerCase() };
      let listing: string;
      try {
        listing = await git(process.cwd(), [
          'ls-remote',
          url,
          ...(ref === null ? ['HEAD'] : [ref, `refs/heads/${ref}`, `refs/tags/${ref}`, `refs/tags/${ref}^{}`]),
        ]);
      } catch (e) {
        // The remote unreachable or refusing: Temporal retries, the run waits (and says why in its history).
        const detail = e instanceof GitCommandFailed ? e.stderr.trim() : (e as Error).message;
        throw ApplicationFailure.create({ type: 'RepositoryUnavailable', message: `git ls-remote ${shownRepoUrl(url)} failed: ${detail}` });
      }
      const rows = listing
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t') as [string, string]);
      // A tag's peeled commit (`^{}`) wins over the tag object itself.
      const found = rows.find(([, name]) => name.endsWith('^{}')) ?? rows[0];
      if (!found) {
        throw ApplicationFailure.create({
          type: 'RefNotFound',
          message: `${shownRepoUrl(url)} has no ${ref === null ? 'HEAD' : `branch or tag "${ref}"`}; pass --ref with one it has.`,
          nonRetryable: true,
        });
      }
      return { commit: found[0] };
    },
  };
}
