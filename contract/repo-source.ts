// `baton run --repo URL [--ref REF] [--push-remote URL]` (docs/fleet.md#git-remotes): a run whose agents work on a git
// remote rather than a directory every worker must share. Pure types and checks, shared by the
// CLI, the workflow and the activities.

/** The run's repository, as given; `commit` is set once the run has pinned REF (at its start). */
export interface RepoSource {
  url: string;
  /** Branch, tag or commit; null: the remote's HEAD. */
  ref: string | null;
  /** Where agents' branches are pushed; absent: `url`. */
  pushUrl?: string;
  commit?: string;
}

/** What an agent's activity needs to check the run's commit out on any worker. */
export interface AgentRepo {
  url: string;
  commit: string;
  pushUrl?: string;
}

/**
 * Why a remote URL cannot be used, or null. Credentials come from git's own mechanisms on the
 * workers (ssh keys or agent, credential helpers, GIT_ASKPASS), never from the URL: a URL is
 * part of the run's input, its history and its logs.
 */
export function repoUrlProblem(url: string): string | null {
  if (url.trim() === '') return 'is empty';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'is not a URL git can use';
    }
    if (parsed.password !== '') {
      return 'has a password in it; remove it and give workers the credentials through git (an ssh key, a credential helper or GIT_ASKPASS)';
    }
    if (!['ssh:', 'https:', 'http:', 'git:', 'file:'].includes(parsed.protocol))
      return `uses ${parsed.protocol}, which is not a git transport (ssh, https, git or file)`;
  }
  return null;
}

/** The URL with any user info removed, for messages. */
export function shownRepoUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
