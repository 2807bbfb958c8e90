// Checks the statements of a script: meta first, and no way out to modules, files or network.
// Runs on esbuild's output (types already stripped), so JavaScript and TypeScript get the same
// rules; `locate` maps each node back to the user's file.

import { full } from 'acorn-walk';
import type { AnyNode, ExportNamedDeclaration, Expression, Position, Program } from 'acorn';
import { backOverKeyword, FILE_START, lineStarts, type Problem, type SourcePosition } from './source-position.js';

export interface ProgramShape {
  /** `export const meta = ...` in esbuild's output, when present. */
  metaStatement: ExportNamedDeclaration | null;
  metaInit: Expression | null;
  problems: Problem[];
}

const NO_ACCESS = 'a script has no module, filesystem or network access of its own; agents do that work, ' + 'so ask for it in an agent() prompt';

const MISSING_META = "a script must start with export const meta = { name: 'my-script', description: 'One line on what it does' }";

/** `source` is the user's text, which esbuild's output was made from. */
export function validateProgram(ast: Program, source: string, locate: (loc: Position) => SourcePosition | null): ProgramShape {
  const problems: Problem[] = [];
  const starts = lineStarts(source);
  const report = (node: AnyNode, message: string) => {
    const at = locate(node.loc!.start) ?? FILE_START;
    problems.push({ at: node.type === 'ExportNamedDeclaration' ? backOverKeyword(source, starts, at, 'export') : at, message });
  };

  let metaIndex = -1;
  let metaStatement: ExportNamedDeclaration | null = null;
  ast.body.forEach((statement, index) => {
    switch (statement.type) {
      case 'ImportDeclaration':
        report(statement, `import is not allowed: ${NO_ACCESS}`);
        break;
      case 'ExportDefaultDeclaration':
        report(statement, 'export default is not allowed: return the result instead (top-level return works)');
        break;
      case 'ExportAllDeclaration':
        report(statement, `export * is not allowed: ${NO_ACCESS}`);
        break;
      case 'ExportNamedDeclaration':
        if (declaresMeta(statement) && metaStatement === null) {
          metaStatement = statement;
          metaIndex = index;
          checkMetaDeclaration(statement, report);
        } else {
          report(statement, `only meta may be exported: remove \`export\` from ${describeExport(statement)}`);
        }
        break;
    }
  });

  full(ast, (node) => {
    if (node.type === 'ImportExpression') report(node, `import() is not allowed: ${NO_ACCESS}`);
    if (node.type === 'MetaProperty' && node.meta.name === 'import') {
      report(node, `import.meta is not available: ${NO_ACCESS}`);
    }
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require') {
      report(node, `require() is not allowed: ${NO_ACCESS}`);
    }
  });

  const found = metaStatement as ExportNamedDeclaration | null;
  if (found === null) {
    const unexported = ast.body.find((s) => s.type === 'VariableDeclaration' && s.declarations.some((d) => isIdentifier(d.id, 'meta')));
    if (unexported) report(unexported, 'meta must be exported: write export const meta = { ... }');
    else problems.push({ at: FILE_START, message: MISSING_META });
  } else {
    checkMetaIsFirst(ast, found, metaIndex, locate, report);
  }

  problems.sort((a, b) => compare(a.at, b.at));
  return { metaStatement: found, metaInit: found ? metaInitOf(found) : null, problems };
}

function declaresMeta(statement: ExportNamedDeclaration): boolean {
  const decl = statement.declaration;
  return decl?.type === 'VariableDeclaration' && decl.declarations.some((d) => isIdentifier(d.id, 'meta'));
}

function metaInitOf(statement: ExportNamedDeclaration): Expression | null {
  const decl = statement.declaration;
  if (decl?.type !== 'VariableDeclaration') return null;
  return decl.declarations.find((d) => isIdentifier(d.id, 'meta'))?.init ?? null;
}

function checkMetaDeclaration(statement: ExportNamedDeclaration, report: (n: AnyNode, m: string) => void): void {
  const decl = statement.declaration;
  if (decl?.type !== 'VariableDeclaration') return;
  if (decl.kind !== 'const') report(decl, `declare meta with const, not ${decl.kind}: export const meta = { ... }`);
  if (decl.declarations.length > 1) {
    report(decl, 'export const meta must declare meta alone: declare the other names in their own const below it');
  }
}

// esbuild may inject helper statements (for syntax it lowers) that come from nowhere in the
// user's file; only statements that map to a place before meta count.
function checkMetaIsFirst(
  ast: Program,
  meta: ExportNamedDeclaration,
  metaIndex: number,
  locate: (loc: Position) => SourcePosition | null,
  report: (n: AnyNode, m: string) => void,
): void {
  // Compared before any stepping back over `export`, on the same footing as other statements.
  const metaAt = locate(meta.loc!.start);
  if (metaAt === null) return;
  for (const statement of ast.body.slice(0, metaIndex)) {
    const at = locate(statement.loc!.start);
    if (at !== null && compare(at, metaAt) < 0) {
      report(meta, `export const meta must be the first statement: move it above line ${at.line}`);
      return;
    }
  }
}

function describeExport(statement: ExportNamedDeclaration): string {
  const decl = statement.declaration;
  if (decl?.type === 'FunctionDeclaration') return `function ${decl.id.name}`;
  if (decl?.type === 'ClassDeclaration') return `class ${decl.id.name}`;
  if (decl?.type === 'VariableDeclaration') {
    const names = decl.declarations.map((d) => (d.id.type === 'Identifier' ? d.id.name : '...')).join(', ');
    return `${decl.kind} ${names}`;
  }
  return statement.source ? 'this re-export (a script has no modules to export from)' : 'this export list';
}

function isIdentifier(node: AnyNode, name: string): boolean {
  return node.type === 'Identifier' && node.name === name;
}

function compare(a: SourcePosition, b: SourcePosition): number {
  return a.line - b.line || a.column - b.column;
}
