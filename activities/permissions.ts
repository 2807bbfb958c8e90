// What an unattended agent may do, in Claude Code's rule syntax (`Bash(npm test:*)`), decided
// without ever asking: there is nobody to ask. Edits inside the workspace are accepted
// (Claude Code's acceptEdits mode); Bash runs a command only when every simple command in it
// matches an allow rule. `WebSearch` and `WebFetch(domain:...)` rules decide whether the web
// tools are offered (web-tools.ts). Rules for other tools (`Read(...)`) are accepted so a
// Claude Code settings list can be reused, and have no effect here.
import { InvalidPermissionRule } from './agent-errors.js';
import { commandParts } from './command-parts.js';

export interface PermissionRule {
  /** As written, for messages. */
  rule: string;
  tool: string;
  /** The text between the parentheses; null for a bare tool name (every use allowed). */
  specifier: string | null;
}

export type BashVerdict = { allowed: true } | { allowed: false; message: string };

const RULE = /^([A-Za-z][\w-]*)(?:\((.*)\))?$/s;

/** Parses one `Tool` / `Tool(specifier)` rule; InvalidPermissionRule names what is wrong. */
export function parsePermissionRule(rule: string): PermissionRule {
  const match = RULE.exec(rule.trim());
  if (!match) {
    throw new InvalidPermissionRule(
      `Invalid permission rule ${JSON.stringify(rule)}: expected a tool name, optionally with a specifier in parentheses, e.g. Bash(npm test:*) or Bash.`,
    );
  }
  const specifier = match[2] === undefined ? null : match[2].trim();
  if (specifier === '' || specifier === ':*') {
    throw new InvalidPermissionRule(
      `Invalid permission rule ${JSON.stringify(rule)}: the parentheses are empty; write ${match[1]} to allow every use, or name a command, e.g. ${match[1]}(npm test:*).`,
    );
  }
  return { rule: rule.trim(), tool: match[1]!, specifier };
}

/**
 * Whether one simple command matches a Bash rule's specifier:
 * - `npm test:*` (legacy prefix): `npm test` itself or followed by whitespace, not `npm testing`;
 * - `*` elsewhere is a wildcard over any characters; a single trailing ` *` is optional, so
 *   `ls *` matches `ls` and `ls -la` but not `lsof`; `\*` is a literal star;
 * - anything else is the exact command; `null` or `*` is every command.
 */
export function bashSpecifierMatches(specifier: string | null, command: string): boolean {
  if (specifier === null || specifier === '*') return true;
  const prefix = /^(.+):\*$/s.exec(specifier)?.[1];
  if (prefix !== undefined) return command === prefix || (command.startsWith(prefix) && /^\s/.test(command.slice(prefix.length)));
  if (!/(^|[^\\])\*/.test(specifier)) return command === specifier.replace(/\\\*/g, '*');
  return wildcardPattern(specifier).test(command);
}

function wildcardPattern(specifier: string): RegExp {
  const pieces = specifier.split(/(\\\*|\*)/);
  const stars = pieces.filter((p) => p === '*').length;
  const optionalTail = stars === 1 && specifier.endsWith(' *') && !specifier.endsWith('\\ *');
  let source = '';
  pieces.forEach((piece, i) => {
    if (piece === '*') source += optionalTail && i === pieces.length - 2 ? '' : '.*';
    else if (piece === '\\*') source += '\\*';
    else source += piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  // `ls *` → `ls` followed by nothing, or by whitespace and anything.
  if (optionalTail) source = `${source.replace(/ $/, '')}(?:\\s.*)?`;
  return new RegExp(`^${source}$`, 's');
}

/** The run's allow rules, checked once when the agent starts. */
export class Permissions {
  private constructor(
    private readonly bashRules: readonly PermissionRule[],
    /** An agent file's own Bash rules (`tools: Bash(git diff:*)`): a command must pass these too. */
    private readonly narrower: Permissions | null = null,
  ) {}

  static fromRules(allow: readonly string[]): Permissions {
    return new Permissions(allow.map(parsePermissionRule).filter((r) => r.tool === 'Bash'));
  }

  /** These rules, and `rules` as well: never more than either allows. No rules: these alone. */
  narrowedBy(rules: readonly string[]): Permissions {
    if (rules.length === 0) return this;
    return new Permissions(this.bashRules, Permissions.fromRules(rules));
  }

  /** Allowed only when every simple command in `command` matches some Bash rule (of the run, and of the agent's file if it has any). */
  checkBash(command: string): BashVerdict {
    const verdict = this.checkOwn(command);
    if (!verdict.allowed || !this.narrower) return verdict;
    const narrowed = this.narrower.checkOwn(command);
    if (narrowed.allowed) return narrowed;
    return {
      allowed: false,
      message: `Permission denied: Bash command ${JSON.stringify(command)} is outside what this agent's definition allows (${this.narrower.bashRules.map((r) => r.rule).join(', ')}).`,
    };
  }

  private checkOwn(command: string): BashVerdict {
    if (this.bashRules.some((r) => r.specifier === null || r.specifier === '*')) return { allowed: true };
    const parts = commandParts(command);
    if (parts === null) {
      return {
        allowed: false,
        message:
          `Permission denied: Bash command ${JSON.stringify(command)} has unbalanced quotes or parentheses, so it cannot be checked ` +
          `against this run's allow rules. Fix the quoting. ${this.allowedSummary()}`,
      };
    }
    const refused = parts.find((part) => !this.bashRules.some((r) => bashSpecifierMatches(r.specifier, part)));
    if (refused === undefined) return { allowed: true };
    const within = parts.length > 1 || refused !== command.trim() ? ` (part of ${JSON.stringify(command)})` : '';
    return {
      allowed: false,
      message:
        `Permission denied: Bash command ${JSON.stringify(refused)}${within} is not allowed in this run. ` +
        `To allow it, start the run with --allow ${shellQuote(`Bash(${suggestedSpecifier(refused)})`)} (or add it to "allow" in the config file). ` +
        `Every command joined by &&, ||, ;, | or inside $(...) must be allowed. ${this.allowedSummary()}`,
    };
  }

  private allowedSummary(): string {
    if (this.bashRules.length === 0) return 'This run allows no Bash commands; use the other tools, or say in your answer that you needed it.';
    return `This run allows: ${this.bashRules.map((r) => r.rule).join(', ')}. Do not try to work around the refusal.`;
  }
}

// Tools whose second word picks what they do: allowing `git diff` should not allow `git push`.
const SUBCOMMAND_TOOLS = new Set(['git', 'npm', 'pnpm', 'yarn', 'bun', 'cargo', 'go', 'docker', 'kubectl', 'make', 'pip', 'poetry', 'uv', 'gh']);

/** The narrowest prefix rule that would allow `command`: `curl:*`, `npm test:*`. */
export function suggestedSpecifier(command: string): string {
  const [first = '', second] = command.split(/\s+/);
  // An env assignment or an odd first word has no meaningful prefix: suggest the exact command.
  if (!/^[\w./+-]+$/.test(first)) return command;
  if (second !== undefined && SUBCOMMAND_TOOLS.has(first) && /^[A-Za-z][\w:.-]*$/.test(second)) return `${first} ${second}:*`;
  return `${first}:*`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
