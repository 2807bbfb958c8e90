// Deep research, after Claude Code's built-in /deep-research: split the question into angles,
// find sources for each, read them and extract cited claims, put every claim to three
// independent votes (two refutations kill it), and write a report from what survives.
// Built in: `baton run deep-research --args '{"question":"..."}'`.
//
// Web tools (WebSearch, WebFetch) are the provider's server tools, offered when the run allows
// them (`--allow WebSearch --allow WebFetch`): the Scope agent reports which tools it has, and
// without web tools the run researches the workspace only and says so in its log and its result.
export const meta = {
  name: 'deep-research',
  description: 'Research a question from several angles, vote on every claim, report only what survives',
  whenToUse: 'For a question that needs sources and cross-checking. Args: { question: string (or just the question as a string), angles?: number (default 3, at most 8), sourcesPerAngle?: number (default 2, at most 5), maxClaims?: number (default 10, at most 40) }. Start it with --allow WebSearch --allow WebFetch to search the web; without them it researches the files of the workspace and says so in its result.',
  phases: [
    { title: 'Scope', detail: 'check the tools at hand and split the question into search angles', model: 'sonnet' },
    { title: 'Search', detail: 'find sources for each angle', model: 'haiku' },
    { title: 'Fetch', detail: 'read each source and extract claims with citations', model: 'haiku' },
    { title: 'Verify', detail: 'three independent votes a claim; two refutations kill it', model: 'sonnet' },
    { title: 'Synthesize', detail: 'a cited report from the surviving claims', model: 'opus' },
  ],
}

const WEB_TOOLS = ['WebSearch', 'WebFetch']
const RESEARCH_TOOLS = ['Read', 'Glob', 'Grep', ...WEB_TOOLS]

const SCOPE = {
  type: 'object',
  properties: {
    tools: { type: 'array', items: { type: 'string' }, description: 'the exact names of every tool you were given' },
    angles: {
      type: 'array',
      items: {
        type: 'object',
        properties: { title: { type: 'string' }, query: { type: 'string', description: 'what to search for' } },
        required: ['title', 'query'],
      },
    },
  },
  required: ['tools', 'angles'],
}

const SOURCES = {
  type: 'object',
  properties: {
    sources: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ref: { type: 'string', description: 'a URL, or a file path in the workspace' }, why: { type: 'string' } },
        required: ['ref'],
      },
    },
  },
  required: ['sources'],
}

const CLAIMS = {
  type: 'object',
  properties: {
    claims: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          claim: { type: 'string', description: 'one factual statement that bears on the question' },
          quote: { type: 'string', description: 'the passage of the source that supports it, verbatim' },
        },
        required: ['claim', 'quote'],
      },
    },
  },
  required: ['claims'],
}

const VOTE = {
  type: 'object',
  properties: {
    verdict: { type: 'string', enum: ['supported', 'refuted', 'unclear'] },
    reason: { type: 'string' },
  },
  required: ['verdict', 'reason'],
}

const input = typeof args === 'string' ? { question: args } : args ?? {}
const question = String(input.question ?? '').trim()
if (question === '') throw new Error('deep-research needs a question: --args \'{"question":"How does the scheduler recover after a crash?"}\'')
const count = (value, fallback, max) => Math.min(max, Math.max(1, Math.floor(Number(value ?? fallback)) || fallback))
const angleCount = count(input.angles, 3, 8)
const sourcesPerAngle = count(input.sourcesPerAngle, 2, 5)
const maxClaims = count(input.maxClaims, 10, 40)

// 1. Scope: what can the agents reach, and which angles cover the question.
const scope = await agent(
  `Plan research on this question: ${question}\n\nFirst list the exact names of all the tools you were given (do not call any). ` +
    `Then split the question into ${angleCount} complementary angles, each with what to search for.`,
  { phase: 'Scope', schema: SCOPE, label: 'scope', tools: RESEARCH_TOOLS },
)
if (!scope) throw new Error('the Scope agent failed; nothing to research')
// The provider names its web tools web_search and web_fetch; Claude Code calls them WebSearch and WebFetch.
const sameTool = (a, b) => a.replace(/[_\s-]/g, '').toLowerCase() === b.toLowerCase()
const web = WEB_TOOLS.filter((tool) => scope.tools.some((name) => sameTool(String(name), tool)))
const note =
  web.length > 0
    ? null
    : 'No web tool (WebSearch, WebFetch) is available to Baton agents in this run (start it with --allow WebSearch --allow WebFetch): this research covers the files of the workspace only, not the web.'
if (note) log(note)
const where = web.length > 0 ? `the web (with ${web.join(' and ')}) and the workspace` : 'the workspace (Glob and Grep to find files, Read to read them)'
const angles = scope.angles.slice(0, angleCount)

// 2–3. Search and Fetch: each angle's sources are read as soon as that angle's search is done.
const perAngle = await pipeline(
  angles,
  (angle) =>
    agent(`Find up to ${sourcesPerAngle} sources that answer part of this question: ${question}\nAngle: ${angle.title}: ${angle.query}\nSearch ${where}. Prefer primary sources.`, {
      phase: 'Search',
      schema: SOURCES,
      label: `search ${angle.title.slice(0, 24)}`,
      tools: RESEARCH_TOOLS,
    }),
  (found, angle) =>
    parallel(
      found.sources.slice(0, sourcesPerAngle).map((source) => () =>
        agent(
          `Read this source and extract the claims it makes that bear on the question. Quote the supporting passage verbatim for each; make no claim the source does not support.\n\nQuestion: ${question}\nAngle: ${angle.title}\nSource: ${source.ref}`,
          { phase: 'Fetch', schema: CLAIMS, label: `fetch ${source.ref.slice(-24)}`, tools: RESEARCH_TOOLS },
        ).then((extracted) => (extracted ? extracted.claims.map((c) => ({ ...c, source: source.ref })) : [])),
      ),
    ),
)

// A barrier on purpose: duplicates are merged across every angle, and claims found by more
// sources go first when there are more than maxClaims.
const byText = new Map()
for (const claim of perAngle.filter(Boolean).flat(2).filter(Boolean)) {
  const key = claim.claim.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()
  const known = byText.get(key)
  if (known) {
    if (!known.sources.includes(claim.source)) known.sources.push(claim.source)
  } else {
    byText.set(key, { claim: claim.claim, quote: claim.quote, sources: [claim.source] })
  }
}
const claims = [...byText.values()].sort((a, b) => b.sources.length - a.sources.length).slice(0, maxClaims)
log(`${byText.size} distinct claim(s) found; verifying ${claims.length}`)
if (claims.length === 0) {
  score('verified-claims', 0)
  return { question, webTools: web, note, report: 'No claims were found to verify.', claims: [], discarded: [] }
}

// 4. Verify: three votes a claim, each voter checking the source on its own; two refutations kill it.
const checked = await pipeline(
  claims,
  (claim, _, i) =>
    parallel(
      [0, 1, 2].map((k) => () =>
        agent(
          `You are one of three independent fact-checkers. Decide whether this claim holds. Open the source yourself and look for anything that contradicts it; ` +
            `call it refuted if the source does not say it, says something else, or other evidence contradicts it.\n\nClaim: ${claim.claim}\nQuoted support: ${claim.quote}\nSources: ${claim.sources.join(', ')}`,
          { phase: 'Verify', schema: VOTE, label: `verify ${i + 1}.${k + 1}`, tools: RESEARCH_TOOLS },
        ),
      ),
    ),
  (votes, claim) => {
    const refutations = votes.filter((v) => v && v.verdict === 'refuted').length
    return { ...claim, refutations, votes: votes.filter(Boolean).map((v) => v.verdict), kept: refutations < 2 }
  },
)
const survived = checked.filter((c) => c && c.kept)
const discarded = checked.filter((c) => c && !c.kept)
log(`${survived.length} claim(s) survived verification, ${discarded.length} discarded`)
score('verified-claims', survived.length)
score('discarded-claims', discarded.length)
score('sources', new Set(survived.flatMap((c) => c.sources)).size, { note: 'distinct sources behind the verified claims' })
// Agreement: the share of the fact-checkers' votes that match their claim's most common verdict.
const mostCommon = (votes) => Math.max(0, ...votes.map((v) => votes.filter((w) => w === v).length))
const voted = checked.filter(Boolean)
const castVotes = voted.reduce((sum, c) => sum + c.votes.length, 0)
if (castVotes > 0) score('agreement', Math.round((voted.reduce((sum, c) => sum + mostCommon(c.votes), 0) / castVotes) * 100) / 100)

// 5. Synthesize: a report that cites the surviving claims by number, and only them.
const numbered = survived.map((c, i) => `[${i + 1}] ${c.claim} (sources: ${c.sources.join(', ')})`).join('\n')
const report = await agent(
  `Write a concise research report answering: ${question}\n\nUse only the verified claims below, and cite them by number like [2]. ` +
    `Say plainly what the claims do not settle.${note ? ` Say that the research covered the workspace only, not the web.` : ''}\n\nVerified claims:\n${numbered || '(none survived verification)'}`,
  { phase: 'Synthesize', label: 'report', tools: [] },
)

return {
  question,
  webTools: web,
  note,
  report,
  claims: survived.map((c, i) => ({ n: i + 1, claim: c.claim, sources: c.sources, votes: c.votes })),
  discarded: discarded.map((c) => ({ claim: c.claim, sources: c.sources, votes: c.votes })),
}
