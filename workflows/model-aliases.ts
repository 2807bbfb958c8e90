// Family aliases from the provider (docs/script-language.md, Model aliases): once per run, at its
// start, an activity lists the provider's models and the run's alias table takes the newest
// id of each family. The activity's result is in the history, so a replay (a worker restart) sees
// the same list, and the resolved families travel in the run's options when it continues as new,
// so the whole run keeps one id per alias even if the provider's list changes meanwhile.
import { ActivityFailure, log, patched } from '@temporalio/workflow';
import type { BatonActivities } from '../activities/index.js';
import { familyAliases, withProviderAliases } from '../contract/provider-aliases.js';
import type { RunOptions } from '../contract/run-types.js';

import { controlActivities, type ControlActivityOptions } from './control-activities.js';
import { PROVIDER_ALIASES_PATCH } from './patches.js';

// A regular activity, not a local one: on a loaded worker a local activity's result can land in
// one workflow task and the script's start in the next, and a worker replaying that history
// (another worker after a restart) failed with a nondeterminism error at the next patch marker
// (seen under load in test/integration/scores.test.ts "survives a worker restart").
const LIST_MODELS_OPTIONS: ControlActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
  summary: "list the provider's models",
};

/** Resolves the provider's families into `options.modelTable` once per run (a dry run asks nobody). */
export async function resolveProviderAliases(options: RunOptions): Promise<void> {
  if (options.providerAliases || options.dryRun || !patched(PROVIDER_ALIASES_PATCH)) return;
  let families: Record<string, string> = {};
  try {
    const models = await controlActivities<BatonActivities>(LIST_MODELS_OPTIONS).listModels();
    // A provider without the endpoint (404) lists nothing: Baton's default aliases apply.
    if (models) families = familyAliases(models);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn("could not list the provider's models; the default model aliases apply", { error: error.cause?.message ?? error.message });
  }
  options.providerAliases = families;
  options.modelTable = withProviderAliases(options.modelTable, families);
}
