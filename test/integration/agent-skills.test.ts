// Skills (docs/agents.md#skills): the checkout's `.claude/skills/NAME/SKILL.md` and the starter's
// (with --personal-context) are listed in each agent's first message and loaded on demand by the
// Skill tool; a custom agent's `skills:` are preloaded; a checkout without skills offers no Skill
// tool, and a skill's `allowed-tools` widens nothing.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  echoResponder,
  firstUserContext,
  firstUserText,
  previousToolUses,
  reply,
  text,
  toolResults,
  toolUse,
  type RecordedRequest,
  type Responder,
} from '../model-server/index.js';
import { bundleInterpreter, script, startHarness, type Harness } from './interpreter-harness.js';

const root = mkdtempSync(join(tmpdir(), 'baton-agent-skills-'));

/** `[skill=NAME]` loads NAME, then `[then-bash=CMD]` runs CMD; tool results are echoed back as the answer. */
const responder: Responder = (request, ctx) => {
  const prompt = firstUserText(request);
  const results = toolResults(request);
  const then = /\[then-bash=([^\]]+)\]/.exec(prompt)?.[1];
  if (results.length > 0 && then && previousToolUses(request).length === 1) return reply(toolUse('Bash', { command: then }));
  if (results.length > 0) return reply(text(`saw: ${results.map((r) => JSON.stringify(r.content)).join(' ')}`));
  const skill = /\[skill=([^\]]+)\]/.exec(prompt)?.[1];
  return skill ? reply(toolUse('Skill', { skill })) : echoResponder(request, ctx);
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bundle: await bundleInterpreter(), responder });
});
afterAll(async () => {
  await h?.close();
  rmSync(root, { recursive: true, force: true });
});

function makeWorkspace(): string {
  const dir = mkdtempSync(join(root, 'ws-'));
  const skill = (name: string, text: string) => {
    mkdirSync(join(dir, '.claude', 'skills', name), { recursive: true });
    writeFileSync(join(dir, '.claude', 'skills', name, 'SKILL.md'), text);
  };
  skill(
    'release-notes',
    '---\nname: release-notes\ndescription: Write release notes from the changelog\nallowed-tools: Bash(touch:*)\n---\nRN-SKILL-BODY: list user-visible changes.\n',
  );
  skill('style', '---\nname: style\ndescription: House style\n---\nSTYLE-SKILL-BODY: short sentences.\n');
  mkdirSync(join(dir, '.claude', 'agents'), { recursive: true });
  writeFileSync(join(dir, '.claude', 'agents', 'writer.md'), '---\nname: writer\ndescription: writes\ntools: Read\nskills: style\n---\nWrite well.\n');
  return dir;
}

const PERSONAL = {
  inline: { agents: [], skills: [{ name: 'mine', description: 'My own habits', path: '~/.claude/skills/mine/SKILL.md', body: 'MINE-SKILL-BODY' }] },
};
const requestsOf = (tag: string): RecordedRequest[] => h.modelServer.requests.filter((r) => firstUserText(r.body).includes(tag));
const toolNames = (r: RecordedRequest) => (r.body.tools ?? []).map((t) => t.name);

describe('skills', () => {
  it("lists project and personal skills, loads one on demand, and preloads a custom agent's skills", async () => {
    const workspace = makeWorkspace();
    const tag = randomUUID();
    const report = await h.run(
      script(
        `const loaded = await agent('load ${tag} [skill=release-notes]');\n` +
          `const personal = await agent('personal ${tag} [skill=mine]');\n` +
          `const missing = await agent('missing ${tag} [skill=nope]');\n` +
          `const writer = await agent('writer ${tag}', { agentType: 'writer' });\n` +
          'return { loaded, personal, missing, writer };',
      ),
      { workspace, personal: PERSONAL },
    );
    expect(report.status).toBe('completed');
    const result = report.result as Record<string, string>;
    expect(result.loaded).toContain('RN-SKILL-BODY');
    expect(result.personal).toContain('MINE-SKILL-BODY');
    expect(result.missing).toContain('Unknown skill: nope. Available skills: release-notes, style, mine.');

    const [first] = requestsOf(`load ${tag}`);
    expect(toolNames(first!)).toContain('Skill');
    const listing = firstUserContext(first!.body);
    expect(listing).toContain('- release-notes: Write release notes from the changelog');
    expect(listing).toContain('- style: House style');
    expect(listing).toContain('- mine: My own habits');
    // Listed, not loaded: the body arrives only when the agent asks for it.
    expect(JSON.stringify(first!.body)).not.toContain('RN-SKILL-BODY');

    const [writer] = requestsOf(`writer ${tag}`);
    expect(firstUserContext(writer!.body)).toContain('The agent definition preloads the skill "style" (.claude/skills/style/SKILL.md):\n\nSTYLE-SKILL-BODY');
    expect(toolNames(writer!)).toEqual(['Read']);
    expect(report.agentList[3]!.context!.files).toContainEqual({ path: '.claude/skills/style/SKILL.md', chars: expect.any(Number), kind: 'skill' });
  }, 60_000);

  it("offers no Skill tool without skills, and a loaded skill's allowed-tools does not widen --allow", async () => {
    const empty = mkdtempSync(join(root, 'empty-'));
    const workspace = makeWorkspace();
    const tag = randomUUID();
    await h.run(script(`return await agent('bare ${tag}');`), { workspace: empty });
    const report = await h.run(script(`return await agent('widen ${tag} [skill=release-notes] [then-bash=touch WIDENED]');`), {
      workspace,
      allow: ['Bash(echo:*)'],
    });
    expect(toolNames(requestsOf(`bare ${tag}`)[0]!)).not.toContain('Skill');
    expect(report.result).toContain('Permission denied: Bash command \\"touch WIDENED\\" is not allowed in this run');
    expect(existsSync(join(workspace, 'WIDENED'))).toBe(false);
  }, 60_000);
});
