// `agent({ agentType })` (docs/agents.md): the run's agent types are read once, by the
// loadAgentCatalog activity, so they are in the history and a replay or a resumed run uses the
// same definitions; a run that continues as new carries them. Loaded before the script starts
// when its text names agentType, or before a nested workflow that does; otherwise at the first
// call that asks. Runs recorded before agent types existed never load them: their calls go to the
// activity with the type's name, as they did.
import { isCancellation, patched } from '@temporalio/workflow';
import type { BatonActivities } from '../activities/index.js';
import { findAgentType, unknownAgentTypeMessage, type AgentCatalog, type AgentDefinition } from '../contract/agent-context.js';
import type { RunInput } from '../contract/run-types.js';
import { controlActivities, type ControlActivityOptions } from './control-activities.js';
import { AGENT_CATALOG_PATCH } from './patches.js';

const LOAD_CATALOG_OPTIONS: ControlActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
  summary: 'read the agent types',
};

/** What a call's `agentType` names: a file's definition, a built-in, or nothing (the agent fails with `unknown`). */
export type ResolvedAgentType = { definition: AgentDefinition } | { builtIn: true } | { unknown: string };

export class AgentTypes {
  private catalog: AgentCatalog | null | undefined;
  private loading: Promise<AgentCatalog | null> | null = null;

  /** `note` puts a line in the run's log (`baton status`): a file that could not be read as written. */
  constructor(
    private readonly input: RunInput,
    private readonly note: (line: string) => void = () => {},
  ) {
    this.catalog = input.carry?.catalog;
  }

  /** The catalog when loaded (null: this run predates agent types), for continue-as-new to carry. */
  get loaded(): AgentCatalog | null | undefined {
    return this.catalog;
  }

  /** Loads the catalog if `program` names agentType, so calls resolve without waiting. */
  async preloadFor(program: string): Promise<void> {
    if (this.catalog === undefined && /\bagentType\b/.test(program)) await this.load();
  }

  /**
   * Resolves a call's `agentType`: at once when the catalog is loaded (so calls keep their order),
   * else a promise of it. Null: this run resolves types the old way, in the activity.
   */
  resolve(name: string): ResolvedAgentType | null | Promise<ResolvedAgentType | null> {
    if (this.catalog === undefined) return this.load().then(() => this.resolve(name));
    const catalog = this.catalog;
    if (catalog === null) return null;
    const found = findAgentType(catalog, name);
    if (found === 'built-in') return { builtIn: true };
    return found ? { definition: found } : { unknown: unknownAgentTypeMessage(name, catalog) };
  }

  private load(): Promise<AgentCatalog | null> {
    this.loading ??= this.read().then((catalog) => (this.catalog = catalog));
    return this.loading;
  }

  private async read(): Promise<AgentCatalog | null> {
    if (!patched(AGENT_CATALOG_PATCH)) return null;
    const { workspace, repo, personal } = this.input.options;
    try {
      const { loadAgentCatalog } = controlActivities<BatonActivities>(LOAD_CATALOG_OPTIONS);
      const { definitions, warnings } = await loadAgentCatalog({
        workspace,
        ...(repo?.commit ? { repo: { url: repo.url, commit: repo.commit } } : {}),
        ...(personal ? { personal } : {}),
      });
      for (const warning of warnings) this.note(`warning: agent types: ${warning}`);
      return { definitions };
    } catch (error) {
      if (isCancellation(error)) throw error;
      // Without the files the built-ins still work; a custom type then fails its agent, listing what there is.
      this.note(`warning: the agent types could not be read (${(error as Error).message}); only the built-in ones are available`);
      return { definitions: [] };
    }
  }
}
