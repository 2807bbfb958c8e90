// `--repo URL`: which remotes Baton takes, and that credentials in a URL are refused before the
// run starts (so they never reach its input, history or logs).
import { describe, expect, it } from 'vitest';
import { parseRunFlags, runOptionsFrom } from '../../cli/run-flags.js';
import { defaultModelTable } from '../../contract/models.js';
import { repoUrlProblem, shownRepoUrl } from '../../contract/repo-source.js';
import type { Settings } from '../../config/settings.js';

const settings: Settings = {
  home: '/tmp/h',
  configPath: '/tmp/h/config.json',
  model: 'sonnet',
  taskQueue: 'q',
  concurrency: 16,
  maxAgents: 1000,
  allow: [],
  allowNet: [],
  modelTable: defaultModelTable(),
} as unknown as Settings;

describe('repoUrlProblem', () => {
  it.each([
    'git@github.com:acme/app.git',
    'ssh://git@host/app.git',
    'https://github.com/acme/app.git',
    'https://bot@host/app.git',
    'git://host:9418/app.git',
    'file:///srv/git/app.git',
    '/srv/git/app.git',
  ])('takes %s', (url) => expect(repoUrlProblem(url)).toBeNull());

  it.each([
    ['https://user:hunter2@host/app.git', 'has a password in it'],
    ['ftp://host/app.git', 'not a git transport'],
    ['', 'is empty'],
  ])('refuses %s', (url, problem) => expect(repoUrlProblem(url)).toContain(problem));

  it('shows a URL without its user info', () => {
    expect(shownRepoUrl('https://bot@host/app.git')).toBe('https://host/app.git');
  });
});

describe('baton run --repo flags', () => {
  it('refuses a URL with a password, naming how to give credentials instead', () => {
    expect(() => parseRunFlags({ repo: 'https://u:secret@host/r.git' })).toThrow(
      /--repo has a password in it; remove it and give workers the credentials through git/,
    );
  });

  it('puts the remote, ref and push remote in the run options', () => {
    const options = runOptionsFrom(parseRunFlags({ repo: 'git://h/r.git', ref: 'v1.2', pushRemote: 'git://h/fork.git' }), settings);
    expect(options.repo).toEqual({ url: 'git://h/r.git', ref: 'v1.2', pushUrl: 'git://h/fork.git' });
  });

  it('takes --ref only with --repo, and not --repo with --workspace', () => {
    expect(() => parseRunFlags({ ref: 'main' })).toThrow(/--ref and --push-remote go with --repo URL/);
    expect(() => parseRunFlags({ repo: 'git://h/r.git', workspace: '.' })).toThrow(/--repo and --workspace exclude each other/);
  });
});
