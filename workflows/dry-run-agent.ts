// `baton check --dry-run`: an agent() call that passed the usual checks (options, caps, phase and
// model resolution, call order) ends at once with a placeholder, without an activity, a model
// request or a concurrency slot. The run goes on as a real one would, so fan-outs show.
import type { AgentView } from '../contract/run-types.js';
import { placeholderFromSchema, placeholderText } from '../contract/placeholder-from-schema.js';
import type { AgentOptions } from './agent-options.js';
import type { RunTracker } from './run-tracker.js';

export function dryRunAgent(tracker: RunTracker, view: Readonly<AgentView>, options: AgentOptions): { ok: true; value: unknown } {
  tracker.startAgent(view);
  tracker.endAgent(view, 'succeeded');
  return { ok: true, value: options.schema ? placeholderFromSchema(options.schema) : placeholderText(view.label) };
}
