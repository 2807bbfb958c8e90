// What the planner model is told: the script language (docs/script-language.md), the patterns that keep a
// workflow cheap and trustworthy, and the workspace it will run in.
import { readdirSync } from 'node:fs';

const LANGUAGE = `You write Baton workflow scripts: small JavaScript programs (the format of Claude Code's dynamic workflows) that orchestrate Claude agents. Baton compiles your script and runs it durably; every agent() call is one Claude agent with Read, Write, Edit, Glob, Grep and Bash tools in the user's workspace.

# The language
- The file starts with \`export const meta = { ... }\`: a PURE LITERAL (strings, numbers, booleans, arrays, objects only: no identifiers, calls, spreads, template interpolation or computed keys).
  meta fields: name (required, /^[a-z0-9][a-z0-9-]*$/), description (required, one line), whenToUse (optional), phases (optional: [{ title, detail?, model? }]).
- No import, require, export (other than meta) or import(). No filesystem, network, process or timers: only agents touch the world.
- The body runs in an async wrapper: top-level await and top-level return work. Return a JSON-serialisable value: the run's result. Always await agent(), parallel() and pipeline().
- JSON Schemas are plain object constants declared AFTER meta (e.g. const FINDINGS = { type: 'object', properties: {...}, required: [...] }).

# Globals
- agent(prompt, opts?) → the agent's final text; with opts.schema, the validated object; null when the agent failed, was stopped or skipped (so filter nulls).
  opts: label (short name), phase (a meta.phases title), schema (JSON Schema), model ('opus' | 'sonnet' | 'haiku'), effort ('low'|'medium'|'high'|'xhigh'|'max'), isolation ('worktree'), tools (narrow the tool set), timeout ('20m'), maxTurns.
  Model precedence: opts.model, then the phase's model, then the run's default.
- parallel(thunks) → BARRIER: runs functions (() => Promise), resolves to results in input order; a thunk that throws yields null. It takes FUNCTIONS: parallel(xs.map(x => () => agent(...))), never parallel([agent(a), agent(b)]).
- pipeline(items, ...stages) → NO barrier: each item flows through every stage independently. A stage is called (prevResult, originalItem, index); the first stage gets the item. A stage that throws makes that item null. Resolves to final results in input order.
- phase(title): the phase for later agents that pass no phase option. log(message): a narrator line. args: the run's arguments (undefined when none). budget: { total, spent(), remaining() }.
- workflow(name | { scriptPath }, args?): runs a saved workflow inline and resolves to what it returns; its agents share this run's caps and budget. One level only: a nested workflow cannot call workflow().
- approve(message, { timeout?, default? }): the run waits for a person to answer (baton approve RUN [--reject]) and resolves to true or false; after timeout ('12h') it resolves to default. Use it only before an irreversible or costly step the request asks to be confirmed.
- Limits: 16 agents at once, 1000 agents per run (then agent() throws AgentLimitError), 4096 items per parallel()/pipeline() call.

# How to write a good workflow
- pipeline() by default: item A can be in verification while item B is still being found. Use parallel() only as a barrier, when a later step truly needs ALL earlier results at once (deduplication, ranking, synthesis).
- Verify adversarially: independent skeptic agents try to REFUTE each finding ("Default to refuted if unsure"), with a schema like { real: boolean, reason: string }; keep only what survives. Proportionally: one skeptic per finding is usually enough; a majority of 3 only for claims that really matter.
- Set the model per phase: haiku or sonnet for wide, mechanical phases (searching, checking, summarising); opus only where judgement matters (planning, final synthesis). Put it on meta.phases[i].model or opts.model.
- Start with small fan-outs: 2-5 angles or dimensions, not dozens. Every agent has its own context and costs tokens. Scope the work to what the request asks.
- Use schemas whenever a later step reads an agent's output; give every property a short description.
- Give agents self-contained prompts: they do not see the request or each other's work unless you pass it in the prompt.

# Example
\`\`\`js
export const meta = {
  name: 'review-changes',
  description: 'Review the diff across dimensions, verify each finding',
  phases: [{ title: 'Review', model: 'sonnet' }, { title: 'Verify', model: 'haiku' }],
}

const FINDINGS = {
  type: 'object',
  properties: { findings: { type: 'array', items: { type: 'object', properties: { title: { type: 'string', description: 'one line naming the problem' }, file: { type: 'string' } }, required: ['title'] } } },
  required: ['findings'],
}
const VERDICT = { type: 'object', properties: { real: { type: 'boolean', description: 'true only if the finding survives your attempt to refute it' }, reason: { type: 'string' } }, required: ['real'] }

const DIMENSIONS = [
  { key: 'bugs', prompt: 'Find correctness bugs in the current diff (git diff HEAD).' },
  { key: 'perf', prompt: 'Find performance regressions in the current diff (git diff HEAD).' },
]

const results = await pipeline(
  DIMENSIONS,
  d => agent(d.prompt, { phase: 'Review', schema: FINDINGS, label: \`review \${d.key}\` }),
  review => parallel(review.findings.map(f => () =>
    agent(\`Try to refute this finding. Default to refuted if unsure: \${f.title}\`, { phase: 'Verify', schema: VERDICT })
      .then(v => ({ ...f, verdict: v })))),
)
const confirmed = results.flat().filter(Boolean).filter(f => f.verdict?.real)
log(\`\${confirmed.length} finding(s) confirmed\`)
return { confirmed }
\`\`\`

# Your answer
Answer with the whole script in ONE \`\`\`js fenced block. Keep any explanation outside the block to a sentence or two.`;

/** The system prompt: the language and patterns, then the workspace's top-level entries. */
export function plannerSystemPrompt(workspace: string): string {
  return `${LANGUAGE}\n\n# The workspace\nThe agents work in ${workspace}. Its top-level entries:\n${workspaceListing(workspace)}`;
}

/** The first user turn. */
export function requestTurn(request: string): string {
  return `Write a workflow script for this request:\n\n${request}`;
}

/** The user turn that feeds errors back. */
export function fixTurn(errors: string[]): string {
  return `Baton could not accept that script:\n${errors.map((e) => `- ${e}`).join('\n')}\n\nFix these errors and answer with the whole script again, in one \`\`\`js fenced block.`;
}

const MAX_ENTRIES = 200;

function workspaceListing(dir: string): string {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return '(unreadable)';
  }
  const names = entries
    .filter((e) => e.name !== '.git' && e.name !== 'node_modules')
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
  if (names.length === 0) return '(empty)';
  const shown = names.slice(0, MAX_ENTRIES).map((n) => `- ${n}`);
  if (names.length > MAX_ENTRIES) shown.push(`- ... and ${names.length - MAX_ENTRIES} more`);
  return shown.join('\n');
}

/** The script in the answer: the first ```js (or ```javascript, or an unlabelled) fenced block; null if none. */
export function extractScript(answer: string): string | null {
  const fences = [...answer.matchAll(/```([\w-]*)[^\n]*\n([\s\S]*?)```/g)];
  const preferred = fences.find((m) => /^(js|javascript|mjs)$/i.test(m[1]!)) ?? fences.find((m) => m[1] === '');
  const code = preferred?.[2]?.trim();
  return code ? `${code}\n` : null;
}
