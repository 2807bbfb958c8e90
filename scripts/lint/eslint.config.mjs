// Baton's lint rules (run by scripts/lint.sh, from the repository root). Mostly the recommended
// sets; the one rule that is Baton's own keeps workflow code replayable: workflows/ runs in
// Temporal's sandbox, so it imports activities, workers and Node modules by type only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.tools/**',
      'scripts/lint/node_modules/**',
      'test/artifacts/**',
      'workflows/quickjs/quickjs-wasm.generated.ts',
      'test/fixtures/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // `_name` marks what is unused on purpose (a destructured key left out of a copy, a parameter a signature needs).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeModules.map((name) => ({
            name,
            message: "workflow code runs in Temporal's sandbox: no Node modules (import type is fine).",
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: ['**/activities/**', '**/activities', '**/workers/**', '**/workers'],
              message: 'workflow code imports activities and workers by type only (`import type`), or replay breaks: see STYLE.md.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
