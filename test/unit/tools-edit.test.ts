import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Permissions } from '../../activities/permissions.js';
import { editTool } from '../../activities/tools/edit-tool.js';
import { runTool } from '../../activities/tools/index.js';
import type { ToolContext } from '../../activities/tools/tool.js';
import { openWorkspace } from '../../activities/workspace.js';

let root: string;
let outside: string;
let ctx: ToolContext;

const SOURCE = ['function greet(name) {', '  return "hi " + name;', '}', '', 'greet("a");', 'greet("b");', ''].join('\n');

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'baton-edit-'));
  outside = await mkdtemp(path.join(tmpdir(), 'baton-outside-'));
  await mkdir(path.join(root, 'src'));
  await writeFile(path.join(outside, 'secret.txt'), 'token = 1\n');
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
  await symlink(outside, path.join(root, 'out-dir'));
  ctx = { workspace: await openWorkspace(root), permissions: Permissions.fromRules([]), scratchDir: outside, heartbeat: () => {} };
});

beforeEach(async () => {
  await writeFile(path.join(root, 'src', 'greet.js'), SOURCE);
  await writeFile(path.join(root, 'crlf.txt'), 'alpha\r\nbeta\r\ngamma\r\n');
  await writeFile(path.join(root, 'blob.bin'), Buffer.from([0x00, 0x01, 0x02, 0x61]));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const edit = (input: Record<string, unknown>) => runTool(editTool, 'Edit', input, ctx);
const greet = () => readFile(path.join(root, 'src', 'greet.js'), 'utf8');

describe('Edit', () => {
  it('replaces a unique string and shows the edited lines numbered like Read', async () => {
    const run = await edit({ file_path: 'src/greet.js', old_string: '"hi "', new_string: '"hello "' });
    expect(run.isError).toBe(false);
    expect(run.content).toBe(
      "The file src/greet.js has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n" +
        '     1\tfunction greet(name) {\n     2\t  return "hello " + name;\n     3\t}\n     4\t\n     5\tgreet("a");\n     6\tgreet("b");',
    );
    expect(await greet()).toBe(SOURCE.replace('"hi "', '"hello "'));
  });

  it("refuses a string that occurs more than once, in Claude Code's words", async () => {
    const run = await edit({ file_path: 'src/greet.js', old_string: 'greet(', new_string: 'hello(' });
    expect(run.isError).toBe(true);
    expect(run.content).toContain(
      'Found 3 matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. ' +
        'To replace only one occurrence, please provide more context to uniquely identify the instance.',
    );
    expect(await greet()).toBe(SOURCE);
  });

  it('replaces every occurrence with replace_all', async () => {
    const run = await edit({ file_path: 'src/greet.js', old_string: 'greet(', new_string: 'hello(', replace_all: true });
    expect(run).toEqual({ isError: false, content: 'The file src/greet.js has been updated. All 3 occurrences of old_string were replaced by new_string.' });
    expect(await greet()).toBe(SOURCE.replaceAll('greet(', 'hello('));
  });

  it('accepts more context to pick one occurrence', async () => {
    expect((await edit({ file_path: 'src/greet.js', old_string: 'greet("b")', new_string: 'greet("c")' })).isError).toBe(false);
    expect(await greet()).toContain('greet("a");\ngreet("c");');
  });

  it('keeps $ patterns in new_string literal', async () => {
    await edit({ file_path: 'src/greet.js', old_string: '"hi "', new_string: "'$&$1$$'" });
    expect(await greet()).toContain("return '$&$1$$' + name;");
  });

  it('matches text copied from Read output in a CRLF file, keeping its line endings', async () => {
    expect((await edit({ file_path: 'crlf.txt', old_string: 'alpha\nbeta', new_string: 'one\ntwo' })).isError).toBe(false);
    expect(await readFile(path.join(root, 'crlf.txt'), 'utf8')).toBe('one\r\ntwo\r\ngamma\r\n');
  });

  it('creates a new file from an empty old_string', async () => {
    expect(await edit({ file_path: 'src/new/made.ts', old_string: '', new_string: 'x' })).toEqual({
      isError: false,
      content: 'File created successfully at: src/new/made.ts',
    });
    expect(await readFile(path.join(root, 'src/new/made.ts'), 'utf8')).toBe('x');
  });

  describe.each([
    ['a string not in the file', { file_path: 'src/greet.js', old_string: 'nope', new_string: 'x' }, 'old_string not found in file src/greet.js'],
    [
      'identical strings',
      { file_path: 'src/greet.js', old_string: 'greet', new_string: 'greet' },
      'No changes to make: old_string and new_string are exactly the same.',
    ],
    ['a missing file', { file_path: 'missing.js', old_string: 'a', new_string: 'b' }, 'File does not exist: missing.js'],
    [
      'an empty old_string on a file with content',
      { file_path: 'src/greet.js', old_string: '', new_string: 'b' },
      'Cannot create new file - file already exists',
    ],
    ['a directory', { file_path: 'src', old_string: 'a', new_string: 'b' }, 'src is not a regular file'],
    ['a binary file', { file_path: 'blob.bin', old_string: 'a', new_string: 'b' }, 'is a binary file'],
    ['an absolute path outside', { file_path: '<outside>/secret.txt', old_string: 'token', new_string: 'x' }, 'is outside the workspace'],
    ['a .. escape', { file_path: '../secret.txt', old_string: 'token', new_string: 'x' }, 'is outside the workspace'],
    [
      'a symlink to a file outside',
      { file_path: 'secret-link.txt', old_string: 'token', new_string: 'x' },
      'The path secret-link.txt is outside the workspace',
    ],
    ['a new file through a symlinked directory', { file_path: 'out-dir/planted.txt', old_string: '', new_string: 'x' }, 'is outside the workspace'],
    ['a missing new_string', { file_path: 'src/greet.js', old_string: 'a' }, "must have required property 'new_string'"],
  ])('refuses %s', (_name, input, message) => {
    it('as an is_error result, changing nothing', async () => {
      const run = await edit({ ...input, file_path: (input.file_path as string).replace('<outside>', outside) });
      expect(run.isError).toBe(true);
      expect(run.content).toContain(message);
      expect(await greet()).toBe(SOURCE);
      expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('token = 1\n');
      await expect(readFile(path.join(outside, 'planted.txt'))).rejects.toThrow();
    });
  });
});
