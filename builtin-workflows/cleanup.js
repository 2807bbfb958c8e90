// An overnight cleanup, after the one Bun ran after its Rust port: find small, safe fixes,
// make each in its own git worktree (so they never collide and each lands on its own branch),
// have the fixer run the project's tests there, have an independent reviewer check the change,
// and report what is ready for a human to review. Built in:
// `baton run cleanup --allow 'Bash(npm test:*)' --args '{"testCommand":"npm test"}'`.
export const meta = {
  name: 'cleanup',
  description: 'Overnight cleanup: find small fixes, make each in its own worktree, verify with the tests, report the branches',
  whenToUse: "Unattended long-tail cleanup (dead code, needless copies, stale TODOs, small bugs) in a git repository with at least one commit. Allow the project's test command and name it: baton run cleanup --allow 'Bash(npm test:*)' --args '{\"testCommand\":\"npm test\",\"focus\":\"unused exports\"}'. Args: { testCommand: string (required; it must match an --allow rule), focus?: string, paths?: string, maxFixes?: number (default 3, at most 20) }. Each fix is committed on its own branch baton/<run>/<agent>; 'baton status RUN' lists them. Run it nightly with 'baton schedule create nightly-cleanup --cron \"0 2 * * *\" --script cleanup --allow ... --args ...'.",
  phases: [
    { title: 'Find', detail: 'a read-only scan for small, safe, independent fixes', model: 'sonnet' },
    { title: 'Fix', detail: 'one worktree and branch per fix; the fixer runs the tests there' },
    { title: 'Review', detail: 'an independent check of each tested fix', model: 'haiku' },
  ],
}

const CANDIDATES = {
  type: 'object',
  properties: {
    candidates: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: { type: 'string', description: 'one line naming the fix' },
          file: { type: 'string', description: 'the main file, relative to the workspace' },
          problem: { type: 'string', description: 'what is wrong or wasteful, with line numbers' },
          fix: { type: 'string', description: 'the change to make' },
        },
        required: ['title', 'file', 'problem', 'fix'],
      },
    },
  },
  required: ['candidates'],
}

const FIX = {
  type: 'object',
  properties: {
    changed: { type: 'boolean', description: 'true if your change is in place at the end (false if you made none or reverted it)' },
    testsPassed: { type: 'boolean', description: 'true only if you ran the test command after your change and it passed' },
    testSummary: { type: 'string', description: 'the command you ran and the last lines of its output' },
    changes: { type: 'string', description: 'every change: file, lines, before and after' },
  },
  required: ['changed', 'testsPassed', 'testSummary', 'changes'],
}

const REVIEW = {
  type: 'object',
  properties: {
    approve: { type: 'boolean', description: 'true only if the change is correct, in scope and safe to merge' },
    reason: { type: 'string' },
  },
  required: ['approve', 'reason'],
}

const input = args ?? {}
const testCommand = typeof input.testCommand === 'string' ? input.testCommand.trim() : ''
if (testCommand === '') {
  throw new Error("cleanup needs the project's test command, allowed for agents: --allow 'Bash(npm test:*)' --args '{\"testCommand\":\"npm test\"}'")
}
const maxFixes = Math.min(20, Math.max(1, Math.floor(Number(input.maxFixes ?? 3)) || 3))
const focus = input.focus ? String(input.focus) : 'dead code, needless copies or allocations, stale TODOs, and small obvious bugs'
const paths = input.paths ? ` Look only in ${input.paths}.` : ''

// 1. Find: one read-only scan; few candidates first (maxFixes), more on a later night.
const found = await agent(
  `Find up to ${maxFixes} small, independent cleanups in this repository. Focus: ${focus}.${paths} ` +
    'Each must be a self-contained change to one or two files that a reviewer can check in minutes, that keeps behaviour the same ' +
    '(unless it fixes a plain bug), and that does not overlap with another candidate. Skip anything risky: security, payments, migrations, public APIs.',
  { phase: 'Find', schema: CANDIDATES, label: 'find candidates', agentType: 'Explore' },
)
const candidates = (found ? found.candidates : []).slice(0, maxFixes)
log(`${candidates.length} candidate(s) to fix`)
if (candidates.length === 0) return { fixed: [], needsAttention: [], notFixed: [], note: 'no candidates found' }

// 2–3. Fix each in its own worktree, then review it; each candidate moves on when it is ready.
const outcomes = await pipeline(
  candidates,
  (c) =>
    agent(
      `Make this one cleanup, and nothing else.\n\n${c.title}\nFile: ${c.file}\nProblem: ${c.problem}\nFix: ${c.fix}\n\n` +
        `Then run the tests with \`${testCommand}\` (the one command you may run). If they fail because of your change, fix it or revert it. ` +
        'Do not commit: Baton commits your work on this worktree\'s branch when you finish.',
      { phase: 'Fix', schema: FIX, label: `fix ${c.title.slice(0, 28)}`, isolation: 'worktree' },
    ),
  (fix, c) => {
    if (!fix || !fix.changed || !fix.testsPassed) return { candidate: c, fix, review: null }
    return agent(
      `Review this change, made on a separate branch to fix: ${c.title} (${c.file}).\nProblem: ${c.problem}\n\nChanges:\n${fix.changes}\n\nTests: ${fix.testSummary}\n\n` +
        'Read the original code in the workspace. Approve only if the change is correct, keeps behaviour (unless it fixes a plain bug), stays in scope, and is safe to merge.',
      { phase: 'Review', schema: REVIEW, label: `review ${c.title.slice(0, 24)}`, agentType: 'Explore' },
    ).then((review) => ({ candidate: c, fix, review }))
  },
)

const line = (o) => ({ title: o.candidate.title, file: o.candidate.file, changes: o.fix ? o.fix.changes : null, tests: o.fix ? o.fix.testSummary : null, review: o.review ? o.review.reason : null })
const done = outcomes.filter(Boolean)
const fixed = done.filter((o) => o.review && o.review.approve).map(line)
const needsAttention = done.filter((o) => o.fix && o.fix.changed && (!o.fix.testsPassed || !o.review || !o.review.approve)).map(line)
const notFixed = done.filter((o) => !o.fix || !o.fix.changed).map((o) => ({ title: o.candidate.title, file: o.candidate.file }))
log(`${fixed.length} fix(es) ready to review, ${needsAttention.length} need attention, ${notFixed.length} not fixed`)
return {
  fixed,
  needsAttention,
  notFixed,
  branches: "every changed fix is committed on its own branch baton/<run id>/<agent id>: 'baton status RUN' shows each agent's branch; git branch --list 'baton/*' lists them all",
}
