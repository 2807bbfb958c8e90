// A judge panel: several independent attempts at one task, each with its own approach, then a
// panel of judges scores every attempt blind (anonymised, each judge in its own order); the
// attempt with the best mean score wins. Built in:
// `baton run judge-panel --args '{"task":"Design the retry policy for the uploader"}'`.
export const meta = {
  name: 'judge-panel',
  description: 'Competing attempts at one task, scored blind by a panel of judges; the best one wins',
  whenToUse: 'When a task has many plausible answers and quality matters more than cost: a design, a tricky function, a piece of writing. Args: { task: string (or just the task as a string), attempts?: number (default 3, at most 8), judges?: number (default 3, at most 7), criteria?: string[], worktrees?: boolean (attempts change files, each in its own git worktree and branch; baton status lists the branches) }.',
  phases: [
    { title: 'Attempt', detail: 'independent attempts, each with its own approach' },
    { title: 'Judge', detail: 'every judge scores every attempt, blind and in its own order', model: 'opus' },
  ],
}

const ATTEMPT = {
  type: 'object',
  properties: {
    approach: { type: 'string', description: 'one line naming the approach taken' },
    answer: { type: 'string', description: 'the complete answer; when files were changed, what changed and where' },
  },
  required: ['approach', 'answer'],
}

const SCORES = {
  type: 'object',
  properties: {
    scores: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          attempt: { type: 'string', description: 'the letter of the attempt' },
          score: { type: 'number', minimum: 0, maximum: 10 },
          reason: { type: 'string' },
        },
        required: ['attempt', 'score'],
      },
    },
  },
  required: ['scores'],
}

// Different stances make the attempts differ; identical prompts would mostly agree.
const STANCES = [
  'Aim for the simplest solution that fully works.',
  'Aim for the most robust solution: handle every edge case and failure you can think of.',
  'Try an unconventional approach the obvious solution would miss.',
  'Optimise for whoever maintains this next: clarity over cleverness.',
  'Start by listing what could go wrong, then design around it.',
  'Aim for the best performance that stays correct.',
  'Question the task first: solve the underlying need, even if it differs from the literal ask.',
  'Take the approach an expert in this exact area would take.',
]
const LETTERS = 'ABCDEFGH'

const input = typeof args === 'string' ? { task: args } : args ?? {}
const task = String(input.task ?? '').trim()
if (task === '') throw new Error('judge-panel needs a task: --args \'{"task":"Write the migration plan for the orders table"}\'')
const count = (value, fallback, max) => Math.min(max, Math.max(1, Math.floor(Number(value ?? fallback)) || fallback))
const attemptCount = count(input.attempts, 3, STANCES.length)
const judgeCount = count(input.judges, 3, 7)
const criteria = Array.isArray(input.criteria) && input.criteria.length > 0 ? input.criteria.map(String) : ['correctness', 'completeness', 'clarity']
const worktrees = input.worktrees === true
log(`${attemptCount} attempt(s), ${judgeCount} judge(s); criteria: ${criteria.join(', ')}`)

// A barrier on purpose: every judge compares all the attempts.
const attempts = await parallel(
  STANCES.slice(0, attemptCount).map((stance, i) => () =>
    agent(`${task}\n\nWork independently: other attempts at this task are being made in parallel, and judges will compare them. ${stance}`, {
      phase: 'Attempt',
      schema: ATTEMPT,
      label: `attempt ${LETTERS[i]}`,
      ...(worktrees ? { isolation: 'worktree' } : {}),
    }),
  ),
)
const entries = attempts.map((attempt, i) => ({ index: i, attempt })).filter((e) => e.attempt !== null)
if (entries.length === 0) throw new Error('every attempt failed; nothing to judge')

const sheets = await parallel(
  Array.from({ length: judgeCount }, (_, j) => () => {
    // Each judge sees the attempts in its own rotation, under its own letters: no position bias.
    const order = entries.map((_, k) => entries[(k + j) % entries.length])
    const shown = order.map((e, k) => `## Attempt ${LETTERS[k]}\nApproach: ${e.attempt.approach}\n\n${e.attempt.answer}`).join('\n\n')
    return agent(
      `You are judge ${j + 1} of ${judgeCount} on a panel, working independently. Score each attempt below from 0 to 10 on: ${criteria.join(', ')}. ` +
        `Check the claims each attempt makes against the workspace where you can. Score every attempt, one entry per letter.\n\nTask: ${task}\n\n${shown}`,
      { phase: 'Judge', schema: SCORES, label: `judge ${j + 1}` },
    ).then((sheet) => sheet && { order, sheet })
  }),
)

const totals = entries.map((e) => ({ ...e, scores: [], firsts: 0 }))
let grading = 0
for (const judged of sheets.filter(Boolean)) {
  const scored = judged.sheet.scores.filter((s) => LETTERS.indexOf(s.attempt) >= 0 && LETTERS.indexOf(s.attempt) < judged.order.length)
  if (scored.length > 0) grading += 1
  const best = Math.max(...scored.map((s) => s.score))
  for (const s of scored) {
    const entry = totals.find((t) => t.index === judged.order[LETTERS.indexOf(s.attempt)].index)
    entry.scores.push({ score: s.score, reason: s.reason ?? null })
    if (s.score === best) entry.firsts += 1
  }
}
const mean = (t) => (t.scores.length === 0 ? 0 : t.scores.reduce((sum, s) => sum + s.score, 0) / t.scores.length)
const ranking = totals
  .map((t) => ({ attempt: LETTERS[t.index], approach: t.attempt.approach, answer: t.attempt.answer, meanScore: Math.round(mean(t) * 100) / 100, firstPlaces: t.firsts, scores: t.scores }))
  .sort((a, b) => b.meanScore - a.meanScore || b.firstPlaces - a.firstPlaces || a.attempt.localeCompare(b.attempt))

const winner = ranking[0]
log(`winner: attempt ${winner.attempt} (${winner.approach}) with ${winner.meanScore}/10 from ${winner.scores.length} judge(s)`)
// Agreement: the share of the judges who graded anything that put the winner first (a tie counts).
if (grading > 0) {
  score('winner-mean', winner.meanScore, { note: `attempt ${winner.attempt}, out of 10` })
  score('agreement', Math.round((winner.firstPlaces / grading) * 100) / 100)
}
return { task, winner, ranking, judges: sheets.filter(Boolean).length, ...(worktrees ? { branches: "each attempt's changes are on its own branch: see 'baton status RUN'" } : {}) }
