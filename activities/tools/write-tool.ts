// Write: a whole file's content, creating missing parent directories. Edits inside the
// workspace are accepted without asking (acceptEdits); the workspace's resolve keeps the path,
// and any directory created for it, inside.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../agent-errors.js';
import type { AgentTool } from './tool.js';

interface WriteInput {
  file_path: string;
  content: string;
}

export const writeTool: AgentTool<WriteInput> = {
  name: 'Write',
  readOnly: false,
  description: `Writes a file to the workspace.

Usage:
- file_path is a path relative to the workspace root, or an absolute path inside the workspace. Paths outside the workspace are refused.
- This tool will overwrite the existing file if there is one at the provided path. If this is an existing file, Read it first so you do not lose content you did not mean to change.
- Missing parent directories are created.
- ALWAYS prefer editing existing files with the Edit tool: it sends only the change. Use Write for new files or to replace a file's content entirely.
- Write the complete content: nothing is appended, and no placeholder such as "rest of file unchanged" is expanded.
- NEVER create documentation files (*.md) or README files unless the task asks for them.`,
  inputSchema: {
    type: 'object',
    properties: {
      file_path: { type: 'string', description: 'The path of the file to write (relative to the workspace, or absolute inside it)' },
      content: { type: 'string', description: 'The content to write to the file' },
    },
    required: ['file_path', 'content'],
  },

  async run(input, { workspace }) {
    const file = await workspace.resolve(input.file_path);
    const existing = await stat(file).catch(() => null);
    if (existing?.isDirectory()) throw new ToolError(`${input.file_path} is a directory; give the path of a file.`);
    try {
      await mkdir(path.dirname(file), { recursive: true });
    } catch (e) {
      throw new ToolError(`Cannot create the directory for ${input.file_path}: ${(e as Error).message}`);
    }
    await writeFile(file, input.content, 'utf8');
    const shown = workspace.display(file);
    const lines = input.content === '' ? 0 : input.content.split('\n').length - (input.content.endsWith('\n') ? 1 : 0);
    return existing ? `The file ${shown} has been overwritten (${lines} lines).` : `File created successfully at: ${shown} (${lines} lines).`;
  },
};
