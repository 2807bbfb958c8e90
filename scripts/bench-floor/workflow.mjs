// The floor under bench:makespan: the same fan-out as Baton's (N agents at cap C, each one model
// call) written as a plain Temporal workflow, with no interpreter, gate, budget or run state.
import { proxyActivities } from '@temporalio/workflow';

const { callModel } = proxyActivities({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

export async function floorFanOut({ agents, cap }) {
  let next = 0;
  const lane = async () => {
    while (next < agents) {
      const i = next++;
      await callModel({ prompt: `task ${i}` });
    }
  };
  await Promise.all(Array.from({ length: cap }, lane));
  return agents;
}
