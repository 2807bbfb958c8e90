// Review the working tree's diff along two dimensions, then try to refute every finding with
// an independent skeptic; only findings that survive are returned. From Claude Code's
// dynamic-workflows examples, with its schemas filled in. Built in: `baton run review-changes`
// (examples/review-changes.js is a link to this file).
export const meta = {
  name: 'review-changes',
  description: 'Review the diff across dimensions, verify each finding',
  whenToUse: 'Before merging a large change',
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

const DIMENSIONS = [
  { key: 'bugs', prompt: 'Find correctness bugs in the current diff.' },
  { key: 'perf', prompt: 'Find performance regressions in the current diff.' },
]

const results = await pipeline(
  DIMENSIONS,
  d => agent(d.prompt, { phase: 'Review', schema: FINDINGS, label: `review ${d.key}` }),
  review => parallel(review.findings.map(f => () =>
    agent(`Try to refute this finding. Default to refuted if unsure: ${f.title}`,
      { phase: 'Verify', schema: VERDICT, label: `verify ${f.title.slice(0, 24)}` })
      .then(v => ({ ...f, verdict: v })))),
)

const confirmed = results.flat().filter(Boolean).filter(f => f.verdict?.real)
log(`${confirmed.length} finding(s) confirmed`)
return { confirmed }
