// Every `baton` command and the module that registers it. A short command's time is mostly
// module loading (the Temporal client, esbuild, the Anthropic SDK), so only the invoked
// command's module is loaded; `--help`, `help` and an unknown word load them all, in this order.
import type { Command } from 'commander';

type Register = (program: Command) => void;

const COMMANDS: Array<[names: string[], load: () => Promise<Register>]> = [
  [['run'], async () => (await import('./commands/run.js')).registerRun],
  [['check'], async () => (await import('./commands/check.js')).registerCheck],
  [['status'], async () => (await import('./commands/status.js')).registerStatus],
  [['ls'], async () => (await import('./commands/ls.js')).registerLs],
  [['agent'], async () => (await import('./commands/agent.js')).registerAgent],
  [['pause', 'resume', 'stop', 'budget'], async () => (await import('./commands/steer.js')).registerSteer],
  [['result'], async () => (await import('./commands/result.js')).registerResult],
  [['approve'], async () => (await import('./commands/approve.js')).registerApprove],
  [['report'], async () => (await import('./commands/report.js')).registerReport],
  [['server', 'worker', 'up', 'down'], async () => (await import('./commands/stack.js')).registerStack],
  [['codec-server'], async () => (await import('./commands/codec-server.js')).registerCodecServer],
  [['fleet'], async () => (await import('./commands/fleet.js')).registerFleet],
  [['workflows'], async () => (await import('./commands/workflows.js')).registerWorkflows],
  [['save'], async () => (await import('./commands/save.js')).registerSave],
  [['schedule'], async () => (await import('./commands/schedule.js')).registerSchedule],
  [['author'], async () => (await import('./commands/author.js')).registerAuthor],
  [['mcp'], async () => (await import('./commands/mcp.js')).registerMcp],
  [['rerun'], async () => (await import('./commands/rerun.js')).registerRerun],
  [['score'], async () => (await import('./commands/score.js')).registerScore],
  [['compare'], async () => (await import('./commands/compare.js')).registerCompare],
];

/** The register functions `baton WORD ...` needs: WORD's own, or every command's. */
export async function commandsFor(word: string | undefined): Promise<Register[]> {
  if (word === '--version' || word === '-V') return [];
  const own = COMMANDS.filter(([names]) => word !== undefined && names.includes(word));
  return Promise.all((own.length > 0 ? own : COMMANDS).map(([, load]) => load()));
}
