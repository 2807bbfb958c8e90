// `baton status RUN --watch`: redraws the run every second on the terminal's alternate screen
// and steers it from the keyboard (Claude Code's /workflows keys). Plain ANSI and readline's
// keypress events; the screen itself comes from watch-render.ts.
import { emitKeypressEvents } from 'node:readline';
import type { Client } from '@temporalio/client';
import { fetchAgentDetail } from '../client/agent-detail.js';
import { fetchRunReport } from '../client/run-report.js';
import { answerApproval } from '../client/approve-run.js';
import { SteeringRefused, steerAgent, steerRun } from '../client/steer-run.js';
import type { SteeringAnswer } from '../contract/run-types.js';
import { CliError, EXIT } from './exit-codes.js';
import { saveRun } from './save-run.js';
import { isEnded, watchLines, type WatchState } from './watch-render.js';

const REFRESH_MS = 1000;

interface Key {
  name?: string;
  ctrl?: boolean;
}

/** Runs the view until the user quits; resolves with the last report seen (or null). */
export async function watchRun(
  client: Client,
  workflowId: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stdout,
): Promise<WatchState['report']> {
  if (!input.isTTY || !output.isTTY) {
    throw new CliError(`--watch needs a terminal; use 'baton status ${workflowId}' (or --json) to print the state once.`, EXIT.usage);
  }
  const state: WatchState = { workflowId, report: null, selected: -1, detail: null, message: '', refreshedAt: null };
  let confirmingStop = false;
  let busy = false;
  let quit: () => void = () => {};
  const done = new Promise<void>((resolve) => (quit = resolve));

  const draw = () => {
    const lines = watchLines(state, { columns: output.columns || 120, rows: output.rows || 40 });
    output.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\r\n')}\x1b[J`);
  };

  const refresh = async () => {
    try {
      state.report = (await fetchRunReport(client, workflowId)).report;
      state.refreshedAt = Date.now();
      const count = state.report.agentList.length;
      if (state.selected >= count) state.selected = count - 1;
      if (state.detail) state.detail = (await fetchAgentDetail(client, workflowId, state.detail.agent.id)) ?? state.detail;
    } catch (error) {
      state.message = `cannot read the run: ${(error as Error).message.split('\n')[0]}`;
    }
    draw();
  };

  const steer = (label: string, send: () => Promise<SteeringAnswer>) => {
    if (busy) return;
    busy = true;
    state.message = `${label}…`;
    draw();
    send()
      .then((answer) => (state.message = answer.message))
      .catch((error: unknown) => (state.message = error instanceof SteeringRefused ? error.message : `failed: ${(error as Error).message.split('\n')[0]}`))
      .finally(() => {
        busy = false;
        void refresh();
      });
  };

  const selectedAgent = () => (state.selected >= 0 ? state.report?.agentList[state.selected] : undefined);

  const onKey = (_text: string | undefined, key: Key | undefined) => {
    const name = key?.name;
    if ((key?.ctrl && name === 'c') || name === 'q') return quit();
    if (confirmingStop) {
      confirmingStop = false;
      if (name === 'x') steer('stopping the run', () => steerRun(client, workflowId, 'stop'));
      else state.message = 'not stopped';
      return draw();
    }
    const agents = state.report?.agentList ?? [];
    const ended = isEnded(state.report);
    switch (name) {
      case 'up':
        state.selected = Math.max(-1, state.selected - 1);
        state.detail = null;
        break;
      case 'down':
        state.selected = Math.min(agents.length - 1, state.selected + 1);
        state.detail = null;
        break;
      case 'escape':
        if (state.detail) state.detail = null;
        else state.selected = -1;
        break;
      case 'return':
      case 'enter': {
        if (state.detail) {
          state.detail = null;
          break;
        }
        const agent = selectedAgent();
        if (!agent) {
          state.message = 'select an agent with ↑↓ first';
          break;
        }
        fetchAgentDetail(client, workflowId, agent.id)
          .then((detail) => (state.detail = detail))
          .catch((error: unknown) => (state.message = `cannot read ${agent.id}: ${(error as Error).message.split('\n')[0]}`))
          .finally(draw);
        break;
      }
      case 'p':
        if (ended) state.message = 'the run has ended';
        else if (state.report?.status === 'paused') steer('resuming', () => steerRun(client, workflowId, 'resume'));
        else steer('pausing', () => steerRun(client, workflowId, 'pause'));
        return;
      case 'a':
      case 'n': {
        // The approval shown first; its id guards against answering one that arrived meanwhile.
        const first = state.report?.approvals?.find((approval) => approval.state === 'waiting');
        if (!first) state.message = 'the run is not waiting for an approval';
        else steer(`${name === 'a' ? 'approving' : 'rejecting'} ${first.id}`, () => answerApproval(client, workflowId, name === 'a', first.id));
        if (first) return;
        break;
      }
      case 'x': {
        if (ended) {
          state.message = 'the run has ended';
          break;
        }
        const agent = selectedAgent();
        if (agent) {
          steer(`stopping ${agent.id}`, () => steerAgent(client, workflowId, agent.id, 'stop'));
          return;
        }
        confirmingStop = true;
        state.message = 'stop the whole run? press x again to confirm, any other key to cancel';
        break;
      }
      case 'r': {
        const agent = selectedAgent();
        if (!agent) state.message = 'select a running agent with ↑↓ to restart it';
        else steer(`restarting ${agent.id}`, () => steerAgent(client, workflowId, agent.id, 'restart'));
        if (agent) return;
        break;
      }
      case 's':
        // Saved under the script's own name in the project's .claude/workflows/, never over another.
        saveRun(client, workflowId)
          .then((saved) => (state.message = `saved ${saved.path}: run it with 'baton run ${saved.name}'`))
          .catch((error: unknown) => (state.message = `not saved: ${(error as Error).message.split('\n')[0]}`))
          .finally(draw);
        state.message = 'saving the script…';
        break;
      default:
        return;
    }
    draw();
  };

  // The alternate screen keeps the user's scrollback; the cursor is hidden while drawing.
  output.write('\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J');
  emitKeypressEvents(input);
  input.setRawMode(true);
  input.resume();
  input.on('keypress', onKey);
  const onResize = () => draw();
  output.on('resize', onResize);
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  await refresh();
  try {
    await done;
  } finally {
    clearInterval(timer);
    input.off('keypress', onKey);
    output.off('resize', onResize);
    input.setRawMode(false);
    input.pause();
    output.write('\x1b[?25h\x1b[?1049l');
  }
  return state.report;
}
