// Query, signal and update definitions of the interpreter workflow. Clients import this file,
// so it holds definitions only: no workflow runtime side effects.
import { defineQuery, defineSignal, defineUpdate } from './message-definitions.js';
import type { RunJournal } from '../contract/call-journal.js';
import { AGENT_TURNS_UPDATE, PROVIDER_BACKOFF_SIGNAL, type ProviderBackoff, type RunReport, type TurnReport, type TurnVerdict } from '../contract/run-types.js';

/** The live RunReport of a run: status 'running' until the script ends. */
export const batonStateQuery = defineQuery<RunReport>('batonState');

/** The run's call journal and args, which `--resume-from` reuses (docs/runs.md#resuming-an-edited-script). Not in RunReport: that is polled. */
export const batonJournalQuery = defineQuery<RunJournal>('batonJournal');

/** Sent by an agent activity that starts waiting out a 429/529: agents not yet started wait until `untilMs`. */
export const providerBackoffSignal = defineSignal<[ProviderBackoff]>(PROVIDER_BACKOFF_SIGNAL);

/** Sent by agent activities after their turns: the run counts the usage and answers, per agent, whether to go on. */
export const agentTurnsUpdate = defineUpdate<TurnVerdict[], [TurnReport[]]>(AGENT_TURNS_UPDATE);
