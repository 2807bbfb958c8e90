// Adversarial verification: every claim is attacked by independent skeptics, each from its own
// angle, and a claim that a majority of them refutes is killed. Claims flow through a pipeline,
// so each claim's verdict is in as soon as its own skeptics are done. Built in:
// `baton run adversarial-verify --args '{"claims":["...","..."]}'`.
export const meta = {
  name: 'adversarial-verify',
  description: 'Attack each claim with independent skeptics; a majority of refutations kills it',
  whenToUse: "Before acting on claims that are costly if wrong: audit findings, a plan's assumptions, a diagnosis. Args: { claims: string[] (or one claim per line; or just the array), skeptics?: number (default 3, at most 9), context?: string }. Skeptics check the claims against the workspace; allow the commands they may need, e.g. --allow 'Bash(git log:*)'.",
  phases: [{ title: 'Attack', detail: 'independent skeptics try to refute each claim; a majority of refutations kills it', model: 'sonnet' }],
}

const VOTE = {
  type: 'object',
  properties: {
    refuted: { type: 'boolean', description: 'true if the claim is false, unsupported by the evidence, or overstated' },
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
    evidence: { type: 'string', description: 'what you checked and found, with file paths and line numbers' },
  },
  required: ['refuted', 'evidence'],
}

// One angle per skeptic, so their attacks differ and their votes are independent.
const ANGLES = [
  'Look for direct counter-evidence: code, tests, docs or history that contradicts the claim.',
  'Check its premises: find the weakest assumption the claim rests on and test it.',
  'Hunt for counter-examples: inputs, edge cases or configurations where the claim fails.',
  'Check its scope: is it overstated, true only in part, or about something other than it says?',
  'Re-derive the answer from scratch, as if you had never seen the claim, and compare.',
]

const input = typeof args === 'string' || Array.isArray(args) ? { claims: args } : args ?? {}
const claims = (Array.isArray(input.claims) ? input.claims : String(input.claims ?? '').split('\n'))
  .map((claim) => String(claim).trim())
  .filter((claim) => claim !== '')
if (claims.length === 0) {
  throw new Error('adversarial-verify needs claims to attack: --args \'{"claims":["the cache is never invalidated","retries are unbounded"]}\'')
}
const skeptics = Math.min(9, Math.max(1, Math.floor(Number(input.skeptics ?? 3)) || 3))
const majority = Math.floor(skeptics / 2) + 1
const context = input.context ? `\n\nContext from whoever made the claims: ${input.context}` : ''
log(`${claims.length} claim(s), ${skeptics} skeptic(s) each; ${majority} refutation(s) kill a claim`)

const verdicts = await pipeline(
  claims,
  (claim, _, i) =>
    parallel(
      ANGLES.concat(ANGLES).slice(0, skeptics).map((angle, k) => () =>
        agent(
          `You are skeptic ${k + 1} of ${skeptics}, working independently of the others. Try to refute the claim below. ${angle} ` +
            `Check it against the workspace yourself; do not take the claim's word for anything. When the evidence does not hold up, call it refuted.${context}\n\nClaim: ${claim}`,
          { phase: 'Attack', schema: VOTE, label: `claim ${i + 1} · skeptic ${k + 1}` },
        ),
      ),
    ),
  (votes, claim) => {
    // A skeptic that failed abstains; too few votes leave the claim undecided, not confirmed.
    const cast = votes.filter(Boolean)
    const refutations = cast.filter((v) => v.refuted).length
    const verdict = refutations >= majority ? 'killed' : cast.length - refutations >= majority ? 'survived' : 'undecided'
    return {
      claim,
      verdict,
      refutations,
      votes: cast.length,
      evidence: cast.map((v) => ({ refuted: v.refuted, confidence: v.confidence ?? null, evidence: v.evidence })),
    }
  },
)

const decided = verdicts.filter(Boolean)
const pick = (verdict) => decided.filter((v) => v.verdict === verdict).map((v) => v.claim)
const result = { survived: pick('survived'), killed: pick('killed'), undecided: pick('undecided'), verdicts: decided }
log(`${result.survived.length} survived, ${result.killed.length} killed, ${result.undecided.length} undecided`)
score('survived', result.survived.length)
score('killed', result.killed.length)
score('undecided', result.undecided.length)
// Agreement: the share of cast votes on the side of their claim's majority (1 = unanimous everywhere).
const cast = decided.reduce((sum, v) => sum + v.votes, 0)
if (cast > 0) score('agreement', Math.round((decided.reduce((sum, v) => sum + Math.max(v.refutations, v.votes - v.refutations), 0) / cast) * 100) / 100)
return result
