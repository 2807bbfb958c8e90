import type { Command } from 'commander';
import { describeWorkflows, type WorkflowEntry } from '../../library/describe-workflows.js';
import { workflowPlacesHere } from '../script-argument.js';

export function registerWorkflows(program: Command): void {
  program
    .command('workflows')
    .description(
      "list saved workflows: project (.claude/workflows/ up to the repository root), personal (~/.claude/workflows/), built-in, and installed Claude Code plugins' (plugin:name)",
    )
    .option('--json', 'print JSON: an array of { name, description, whenToUse, phases, from, path, shadowed, shadowedBy, error }')
    .action(async (flags: { json?: boolean }) => {
      const entries = await describeWorkflows(workflowPlacesHere());
      if (flags.json) {
        console.log(
          JSON.stringify(
            entries.map((e) => ({ ...e, shadowed: e.shadowedBy !== null })),
            null,
            2,
          ),
        );
        return;
      }
      for (const line of workflowLines(entries)) console.log(line);
    });
}

function workflowLines(entries: WorkflowEntry[]): string[] {
  if (entries.length === 0) return ["no saved workflows; save a run's script with 'baton save RUN'"];
  const nameWidth = Math.max(4, ...entries.map((e) => e.name.length));
  const lines = [`${'NAME'.padEnd(nameWidth)}  FROM      DESCRIPTION`];
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const e of entries) {
    const head = `${e.name.padEnd(nameWidth)}  ${e.from.padEnd(8)}  `;
    const indent = ' '.repeat(head.length);
    const where = e.from === 'built-in' ? [] : [`${indent}${e.path}`];
    if (e.shadowedBy !== null) {
      lines.push(`${head}(shadowed by the ${byPath.get(e.shadowedBy)?.from ?? ''} one: ${e.shadowedBy})`, ...where);
    } else if (e.error !== null) {
      lines.push(`${head}does not compile: ${e.error}`, ...where);
    } else {
      lines.push(`${head}${e.description}`, ...(e.whenToUse ? [`${indent}when to use: ${e.whenToUse}`] : []), ...where);
    }
  }
  lines.push('', 'run one with: baton run NAME [--args JSON]');
  return lines;
}
