// The interpreter: one generic workflow that runs a compiled script inside QuickJS and turns
// each agent() call into an agent activity. Everything the script sees derives from the input
// and activity results, so a replay rebuilds the same run.
import { ApplicationFailure, CancellationScope, CancelledFailure, log, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RunInput, RunReport } from '../contract/run-types.js';
import { AgentRunner } from './agent-runner.js';
import { AgentTypes } from './agent-types.js';
import { Approvals } from './approvals.js';
import { CallJournal } from './call-journal.js';
import { ConcurrencyGate } from './concurrency-gate.js';
import { RunContinuation } from './continue-as-new.js';
import { batonAgentQuery, batonJournalQuery, batonStateQuery } from '../contract/run-messages.js';
import { NestedWorkflows } from './nested-workflows.js';
import { nulledLine } from './nulled-errors.js';
import { loadQuickJS } from './quickjs/load-quickjs.js';
import { SCRIPT_MEMORY_LIMIT_BYTES, ScriptSandbox } from './quickjs/script-sandbox.js';
import type { RepoSource } from '../contract/repo-source.js';
import { SCHEDULE_MEMO_KEY } from '../contract/scheduled-run.js';
import { pinRepo } from './repo-pin.js';
import { RunNotices } from './run-notices.js';
import { RunScores } from './run-scores.js';
import { scoreRunUpdate } from '../contract/run-messages.js';
import { RunTracker } from './run-tracker.js';
import { RunVisibility } from './run-visibility.js';
import { scriptFailure } from './script-error.js';
import { SCRIPT_PRELUDE } from './script-prelude.js';
import { runtimeExtras } from './script-runtime-extras.js';
import { resolveProviderAliases } from './model-aliases.js';
import { Steering } from './steering.js';

export async function batonRun(input: RunInput): Promise<RunReport> {
  // `--notify`: a notice when the run ends, whichever way (none is sent without --notify).
  const notices = new RunNotices(input);
  return notices.aroundRun(() => interpret(input, notices));
}

async function interpret(input: RunInput, notices: RunNotices): Promise<RunReport> {
  // 1. State, answered live by the state query.
  // A run that continued as new goes on with the report of the runs before it.
  const tracker = new RunTracker(input, input.carry?.startedAt ?? Date.now());
  const journal = new CallJournal(input);
  setHandler(batonJournalQuery, () => journal.snapshot());
  const steering = new Steering(tracker);
  setHandler(batonStateQuery, () => tracker.report());
  setHandler(batonAgentQuery, (id) => tracker.agentDetail(id));
  notices.currentReport = () => tracker.report();
  // approve(): a person answers with `baton approve`; `--notify` hears when one starts waiting.
  const approvals = new Approvals(
    input,
    tracker,
    () => steering.stopRequested,
    () => void notices.send('waiting', tracker.report()),
  );
  // The Temporal UI's details and search attributes follow every change the report shows.
  const visibility = new RunVisibility(
    () => tracker.overview(),
    () => tracker.runningAgents(),
    () => tracker.phase,
    input.options.dryRun === true,
  );
  tracker.onChange = (live?: boolean) => visibility.changed(live);

  // 2. The isolate and its host functions.
  const gate = new ConcurrencyGate(input.options.concurrency);
  const agentTypes = new AgentTypes(input, (line) => tracker.log(line));
  const continuation = new RunContinuation(input, tracker, journal, gate, agentTypes);
  // score() and `baton score` while the run goes on (an update, so the grade is in the history).
  const scores = new RunScores(input.carry, tracker);
  continuation.scoreCalls = () => scores.scriptCalls;
  setHandler(scoreRunUpdate, (given) => scores.given(given), {
    validator: (given) => {
      const problem = scores.problem(given);
      if (problem) throw new Error(problem);
    },
  });
  const agents = new AgentRunner(input, workflowInfo().workflowId, tracker, gate, steering, journal, continuation, agentTypes);
  const nested = new NestedWorkflows(input.script, input.options, agentTypes);
  // docs/fleet.md#git-remotes: a --repo run's agents all see the commit its REF names now.
  if (input.options.repo) input.options.repo = await pinOrFail(input.options.repo, tracker);
  // Issue 23: a scheduled run's agents are told it is an automated trigger.
  const schedule = workflowInfo().memo?.[SCHEDULE_MEMO_KEY];
  if (typeof schedule === 'string' && input.options.scheduledBy === undefined) input.options.scheduledBy = schedule;
  // `fable`, `opus`, ...: the newest id of the family the provider lists, fixed for the whole run.
  await resolveProviderAliases(input.options);
  // The agent types the script names, read once from its checkout (docs/agents.md).
  await agentTypes.preloadFor(input.script.program);
  const loaded = await loadQuickJS(SCRIPT_MEMORY_LIMIT_BYTES);
  const extras = runtimeExtras(input, () => steering.stopRequested);
  if (extras.timers) continuation.timers = extras.timers.carry.bind(extras.timers);
  const sandbox = new ScriptSandbox(loaded, {
    sync: {
      phase: (title) => tracker.enterPhase(String(title)),
      log: (line) => continuation.log(String(line)),
      nulled: (call, index, errorJson) => {
        const line = nulledLine(String(call), Number(index), String(errorJson), nested.scriptFiles);
        tracker.noteNulled(line);
        continuation.log(line);
      },
      score: (name, value, note) => scores.fromScript(String(name), typeof value === 'boolean' ? value : Number(value), typeof note === 'string' ? note : null),
      spent: () => tracker.spentOutputTokens(),
      budgetTotal: () => tracker.ceilings.budgetTokens,
      ...extras.sync,
    },
    async: {
      // `nestedId` is set when a nested workflow's script makes the call.
      agent: (prompt, optionsJson, nestedId) =>
        agents.call(String(prompt), String(optionsJson), nestedId === undefined ? undefined : nested.script(Number(nestedId))),
      workflow: (refJson) => nested.load(String(refJson)),
      approve: (message, optionsJson) => approvals.ask(String(message), String(optionsJson)),
      ...extras.async,
    },
    programs: {
      nestedProgram: (id) => nested.program(Number(id)),
      ...extras.programs,
    },
  });

  // 3. Run the script to its end, or continue as new when the history grows long.
  const argsJson = input.args === undefined ? undefined : JSON.stringify(input.args);
  const end = await continuation.scriptEnd(
    sandbox.start({
      prelude: SCRIPT_PRELUDE,
      preludeArgs: [argsJson, agents.claudeCodeSemantics],
      program: input.script.program,
      installers: extras.installers,
    }),
  );

  // No agent outlives the run, and what each spent is in its report.
  await agents.settle();

  // 4. A result, or a failed run. Script faults end the run (non-retryable); interpreter bugs
  // rejected `end` above and fail the workflow task instead, so a fixed worker can resume.
  if (end.kind === 'returned') {
    const result = end.json === undefined ? null : (JSON.parse(end.json) as unknown);
    closeQuietly(sandbox);
    if (steering.stopRequested) throw steering.stoppedFailure({ result });
    return tracker.finish('completed', { result });
  }
  if (end.kind === 'threw' || end.kind === 'stalled') closeQuietly(sandbox);
  const failure = scriptFailure(end, nested.scriptFiles);
  // Stopped by request (baton stop): whatever the script did after, the run ends `stopped`.
  if (steering.stopRequested) throw steering.stoppedFailure({ error: failure.info });
  const report = tracker.finish(failure.status, { error: failure.info });
  if (failure.type === 'RunStopped' && CancellationScope.current().consideredCancelled) {
    // Cancelled from outside: let Temporal record the run as cancelled.
    throw new CancelledFailure(failure.message);
  }
  throw ApplicationFailure.create({ type: failure.type, message: failure.message, nonRetryable: true, details: [report] });
}

async function pinOrFail(repo: RepoSource, tracker: RunTracker): Promise<RepoSource> {
  try {
    return await pinRepo(repo);
  } catch (error) {
    if (!(error instanceof ApplicationFailure)) throw error;
    const type = error.type ?? 'RepositoryUnavailable';
    const report = tracker.finish('failed', { error: { type, message: error.message, line: null, column: null } });
    throw ApplicationFailure.create({ type, message: error.message, nonRetryable: true, details: [report] });
  }
}

// After a timeout or out-of-memory the heap may be half-built, so it is left to the garbage
// collector with its wasm instance; after a clean end a leak is worth a warning, not a failure.
function closeQuietly(sandbox: ScriptSandbox): void {
  const { leaked } = sandbox.close();
  if (leaked) log.warn('QuickJS reported leaked handles at the end of the run', { leaked });
}
