// Read: a file's lines, numbered like `cat -n`, so the model can cite and later Edit them.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ToolError } from '../agent-errors.js';
import type { AgentTool } from './tool.js';

export const READ_DEFAULT_LIMIT = 2000;
export const READ_MAX_LINE_CHARS = 2000;
// About 25k tokens, Claude Code's own ceiling for one Read: more floods the context window.
export const READ_MAX_OUTPUT_CHARS = 100_000;

interface ReadInput {
  file_path: string;
  offset?: number;
  limit?: number;
}

export const readTool: AgentTool<ReadInput> = {
  name: 'Read',
  readOnly: true,
  description: `Reads a file from the workspace.

Usage:
- file_path is a path relative to the workspace root, or an absolute path inside the workspace. Paths outside the workspace are refused.
- By default, it reads up to ${READ_DEFAULT_LIMIT} lines starting from the beginning of the file.
- You can optionally specify a line offset (1-based line number to start from) and a limit (number of lines), which is handy for long files; otherwise read the whole file.
- Lines longer than ${READ_MAX_LINE_CHARS} characters are truncated.
- Results are returned in cat -n format, with line numbers starting at 1, followed by a tab and the line's content. The line number prefix is not part of the file.
- This tool reads files only, not directories; use Glob to list files in a directory.
- Binary files (images, archives) cannot be read.
- It is okay to read a file that may not exist; an error will be returned.
- You can call multiple tools in a single response. It is often better to speculatively read several potentially useful files at once.`,
  inputSchema: {
    type: 'object',
    properties: {
      file_path: { type: 'string', description: 'The path of the file to read (relative to the workspace, or absolute inside it)' },
      offset: {
        type: 'integer',
        minimum: 0,
        description: 'The line number to start reading from. Only provide if the file is too large to read at once',
      },
      limit: {
        type: 'integer',
        minimum: 1,
        description: 'The number of lines to read. Only provide if the file is too large to read at once.',
      },
    },
    required: ['file_path'],
  },

  async run(input, { workspace }) {
    const file = await workspace.resolve(input.file_path);
    const info = await stat(file).catch(() => {
      throw new ToolError(`File does not exist: ${input.file_path}`);
    });
    if (info.isDirectory()) throw new ToolError(`${input.file_path} is a directory, not a file. Use Glob to list its files.`);
    if (!info.isFile()) throw new ToolError(`${input.file_path} is not a regular file.`);
    if (info.size === 0) return '<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>';
    if (await looksBinary(file)) throw new ToolError(`${input.file_path} is a binary file; Read only shows text files.`);

    const first = Math.max(1, input.offset ?? 1);
    const last = first + (input.limit ?? READ_DEFAULT_LIMIT) - 1;
    const { lines, linesSeen, more } = await readLines(file, first, last, input.file_path);
    if (lines.length === 0) {
      return `<system-reminder>Warning: the file exists but is shorter than the provided offset (${first}). The file has ${linesSeen} lines.</system-reminder>`;
    }
    // Without this the model cannot tell a short file from a cut-off one.
    if (more) lines.push(`\n(The file continues after line ${last}; Read again with offset ${last + 1} for more.)`);
    return lines.join('\n');
  },
};

// A NUL byte in the first block is how git and ripgrep tell binary from text.
export async function looksBinary(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

/** Lines `first..last` (1-based), numbered; stops reading once past `last`. */
async function readLines(file: string, first: number, last: number, shownPath: string) {
  const lines: string[] = [];
  let chars = 0;
  let linesSeen = 0;
  let more = false;
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      linesSeen++;
      if (linesSeen < first) continue;
      if (linesSeen > last) {
        more = true;
        break;
      }
      const shown = line.length > READ_MAX_LINE_CHARS ? `${line.slice(0, READ_MAX_LINE_CHARS)}… [line truncated]` : line;
      const numbered = `${String(linesSeen).padStart(6)}\t${shown}`;
      chars += numbered.length + 1;
      if (chars > READ_MAX_OUTPUT_CHARS) {
        throw new ToolError(
          `The requested lines of ${shownPath} exceed ${READ_MAX_OUTPUT_CHARS} characters. ` +
            'Read a smaller part with offset and limit, or use Grep to find the lines you need.',
        );
      }
      lines.push(numbered);
    }
  } finally {
    // Leaving the loop early closes readline but not the file it reads.
    stream.destroy();
  }
  return { lines, linesSeen, more };
}
