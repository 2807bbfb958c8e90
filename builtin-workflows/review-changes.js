// Review the working tree's diff along two dimensions, then try to refute every finding with
// an independent skeptic; only findings that survive are returned. From Claude Code's
// dynamic-workflows examples, with its schemas filled in. Built in: `baton run review-changes`
// (examples/review-changes.js is a link to this file).
export const meta = {
  name: 'review-changes',
  description: 'Review the diff across dimensions, verify each finding',
  whenToUse: "Before merging a large change. Args: { dimensions?: string[] } of bugs, perf, security, tests (default bugs and perf): one reviewer each.",
  phases: [{ title: 'Review' }, { title: 'Verify', model: 'haiku' }],
}

const FINDINGS = {
  type: 'object',
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: { type: 'string', description: 'one line naming the problem' },
          file: { type: 'string', description: 'path of the file, relative to the workspace' },
          detail: { type: 'string', description: 'why it is a problem and where exactly' },
        },
        required: ['title'],
      },
    },
  },
  required: ['findings'],
}

const VERDICT = {
  type: 'object',
  properties: {
    real: { type: 'boolean', description: 'true only if the finding survives your attempt to refute it' },
    reason: { type: 'string' },
  },
  required: ['real'],
}

const REVIEWERS = [
  { key: 'bugs', prompt: 'Find correctness bugs in the current diff.' },
  { key: 'perf', prompt: 'Find performance regressions in the current diff.' },
  { key: 'security', prompt: 'Find security problems in the current diff: injection, leaked secrets, missing checks.' },
  { key: 'tests', prompt: 'Find changes in the current diff that no test covers, and tests that no longer test what they say.' },
]
// More reviewers find more, at a price: compare two runs with `baton run review-changes --variant` (docs/scores.md).
const wanted = args?.dimensions ?? ['bugs', 'perf']
const DIMENSIONS = Array.isArray(wanted) ? REVIEWERS.filter(d => wanted.includes(d.key)) : []
if (DIMENSIONS.length === 0 || DIMENSIONS.length !== wanted.length) {
  throw new Error(`review-changes takes --args '{"dimensions":["bugs","perf","security","tests"]}' (any of those), got ${JSON.stringify(wanted)}`)
}

const results = await pipeline(
  DIMENSIONS,
  d => agent(d.prompt, { phase: 'Review', schema: FINDINGS, label: `review ${d.key}` }),
  review => parallel(review.findings.map(f => () =>
    agent(`Try to refute this finding. Default to refuted if unsure: ${f.title}`,
      { phase: 'Verify', schema: VERDICT, label: `verify ${f.title.slice(0, 24)}` })
      .then(v => ({ ...f, verdict: v })))),
)

const findings = results.flat().filter(Boolean)
const confirmed = findings.filter(f => f.verdict?.real)
log(`${confirmed.length} finding(s) confirmed`)
// What the review was worth (docs/scores.md): a verifier that failed leaves its finding unverified.
score('findings', findings.length)
score('confirmed', confirmed.length, { note: 'findings that survived a skeptic' })
score('refuted', findings.filter(f => f.verdict && !f.verdict.real).length)
return { confirmed }
