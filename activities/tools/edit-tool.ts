// Edit: exact string replacement, Claude Code's way. The old string must occur exactly once
// (or replace_all be set), because a model that guesses which occurrence it meant edits the
// wrong one silently; an error makes it add context instead.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../agent-errors.js';
import { looksBinary } from './read-tool.js';
import type { AgentTool } from './tool.js';

const SNIPPET_CONTEXT_LINES = 4;
const SNIPPET_MAX_LINES = 40;

interface EditInput {
  file_path: string;
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

export const editTool: AgentTool<EditInput> = {
  name: 'Edit',
  readOnly: false,
  description: `Performs exact string replacements in files.

Usage:
- Read the file first: old_string must match the file's current content exactly, character for character.
- When editing text from Read output, preserve the exact indentation (tabs/spaces) as it appears AFTER the line number prefix. The line number prefix format is: spaces + line number + tab. Everything after that tab is the actual file content to match. Never include any part of the line number prefix in old_string or new_string.
- The edit will FAIL if old_string is not unique in the file. Either provide a larger string with more surrounding context to make it unique or use replace_all to change every instance of old_string.
- Use replace_all for replacing and renaming strings across the file, e.g. renaming a variable.
- old_string and new_string must differ.
- To create a new file, use Write (or Edit with an empty old_string on a file that does not exist yet).
- ALWAYS prefer editing existing files to creating new ones. Only use emojis if the task asks for them.
- file_path is relative to the workspace root, or absolute inside it; paths outside the workspace are refused.`,
  inputSchema: {
    type: 'object',
    properties: {
      file_path: { type: 'string', description: 'The path of the file to modify (relative to the workspace, or absolute inside it)' },
      old_string: { type: 'string', description: 'The text to replace' },
      new_string: { type: 'string', description: 'The text to replace it with (must be different from old_string)' },
      replace_all: { type: 'boolean', default: false, description: 'Replace all occurrences of old_string (default false)' },
    },
    required: ['file_path', 'old_string', 'new_string'],
  },

  async run(input, { workspace }) {
    if (input.old_string === input.new_string) {
      throw new ToolError('No changes to make: old_string and new_string are exactly the same.');
    }
    const file = await workspace.resolve(input.file_path);
    const shown = workspace.display(file);
    const info = await stat(file).catch(() => null);
    if (!info) {
      if (input.old_string !== '') throw new ToolError(`File does not exist: ${input.file_path}`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, input.new_string, 'utf8');
      return `File created successfully at: ${shown}`;
    }
    if (!info.isFile()) throw new ToolError(`${input.file_path} is not a regular file.`);
    if (await looksBinary(file)) throw new ToolError(`${input.file_path} is a binary file; Edit only changes text files.`);
    const content = await readFile(file, 'utf8');
    if (input.old_string === '') {
      if (content !== '') throw new ToolError('Cannot create new file - file already exists. Give the text to replace as old_string, or use Write.');
      await writeFile(file, input.new_string, 'utf8');
      return `The file ${shown} has been updated.`;
    }

    const { oldText, newText } = inFileLineEndings(content, input.old_string, input.new_string);
    const pieces = content.split(oldText);
    const matches = pieces.length - 1;
    if (matches === 0) {
      throw new ToolError(
        `old_string not found in file ${shown}. ` +
          'Read the file again and copy the text exactly, including whitespace and indentation.\n' +
          `String: ${input.old_string}`,
      );
    }
    if (matches > 1 && !input.replace_all) {
      throw new ToolError(
        `Found ${matches} matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. ` +
          `To replace only one occurrence, please provide more context to uniquely identify the instance.\nString: ${input.old_string}`,
      );
    }
    // split/join, not String.replace: `$&` and friends in new_string must stay literal.
    const updated = pieces.join(newText);
    await writeFile(file, updated, 'utf8');
    if (matches > 1) return `The file ${shown} has been updated. All ${matches} occurrences of old_string were replaced by new_string.`;
    return (
      `The file ${shown} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n` +
      snippet(updated, pieces[0]!.length, newText.length)
    );
  },
};

// A model copies text from Read output, which shows no \r: on a CRLF file, match its lines too.
function inFileLineEndings(content: string, oldText: string, newText: string) {
  if (content.includes(oldText) || oldText.includes('\r') || !content.includes('\r\n')) return { oldText, newText };
  const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
  return content.includes(crlf(oldText)) ? { oldText: crlf(oldText), newText: crlf(newText) } : { oldText, newText };
}

/** The edited lines with a few around them, numbered like Read so the model can check its work. */
function snippet(content: string, start: number, length: number): string {
  const lines = content.split(/\r?\n/);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const firstChanged = content.slice(0, start).split('\n').length - 1;
  const lastChanged = content.slice(0, start + length).split('\n').length - 1;
  const from = Math.max(0, firstChanged - SNIPPET_CONTEXT_LINES);
  const to = Math.min(lines.length - 1, lastChanged + SNIPPET_CONTEXT_LINES, from + SNIPPET_MAX_LINES - 1);
  return lines
    .slice(from, to + 1)
    .map((line, i) => `${String(from + i + 1).padStart(6)}\t${line}`)
    .join('\n');
}
