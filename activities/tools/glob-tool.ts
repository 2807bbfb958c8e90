// Glob: file names matching a pattern, newest first, relative to the workspace.
import { stat } from 'node:fs/promises';
import { ToolError } from '../agent-errors.js';
import type { AgentTool } from './tool.js';
import { byRecency, walkFiles } from './walk-files.js';

export const GLOB_MAX_RESULTS = 100;

interface GlobInput {
  pattern: string;
  path?: string;
}

export const globTool: AgentTool<GlobInput> = {
  name: 'Glob',
  readOnly: true,
  description: `- Fast file pattern matching tool that works with any codebase size
- Supports glob patterns like "**/*.js" or "src/**/*.ts"
- Returns matching file paths relative to the workspace root, sorted by modification time (newest first)
- At most ${GLOB_MAX_RESULTS} paths are returned; narrow the pattern or path when results are truncated
- node_modules and .git directories are skipped
- Use this tool when you need to find files by name patterns
- You can call multiple tools in a single response. It is often better to speculatively perform multiple searches at once.`,
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', minLength: 1, description: 'The glob pattern to match files against' },
      path: {
        type: 'string',
        description: 'The directory to search in, relative to the workspace (or absolute inside it). Omit it to search the whole workspace.',
      },
    },
    required: ['pattern'],
  },

  async run(input, ctx) {
    const base = await ctx.workspace.resolve(input.path ?? '.');
    const info = await stat(base).catch(() => null);
    if (!info?.isDirectory()) throw new ToolError(`The path ${input.path} is not a directory in the workspace.`);
    const files = (await walkFiles(base, input.pattern, ctx)).sort(byRecency);
    if (files.length === 0) return 'No files found';
    const shown = files.slice(0, GLOB_MAX_RESULTS).map((f) => f.shown);
    if (files.length > GLOB_MAX_RESULTS) {
      shown.push(`(Results are truncated: ${files.length} files matched. Consider using a more specific path or pattern.)`);
    }
    return shown.join('\n');
  },
};
