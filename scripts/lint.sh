#!/usr/bin/env bash
# Format and lint checks, run by scripts/test.sh: prettier --check on the files .prettier-scope
# lists, and eslint (scripts/lint/eslint.config.mjs) on every TypeScript file. The tools live in
# scripts/lint/ with their own lock: typescript-eslint needs TypeScript 5's API, which the
# project's TypeScript 7 does not have.
#   bash scripts/lint.sh               check
#   bash scripts/lint.sh --fix         prettier --write on the scope, eslint --fix
#   bash scripts/lint.sh --format-all  format the whole repository and make that the scope
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=scripts/lint/node_modules/.bin
if [[ ! -x "$bin/eslint" || ! -x "$bin/prettier" ]]; then
  npm ci --prefix scripts/lint --no-audit --no-fund >/dev/null 2>&1 || { echo "lint: could not install the lint tools ('npm ci --prefix scripts/lint')"; exit 1; }
fi
mapfile -t scope < <(grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' .prettier-scope)

case "${1:-}" in
  --format-all)
    "$bin/prettier" --write --log-level warn . || exit 1
    printf '%s\n' '# The files `prettier --check` covers (scripts/lint.sh): all of them but .prettierignore'"'"'s.' . >.prettier-scope
    exec "$bin/eslint" --config scripts/lint/eslint.config.mjs --fix .
    ;;
  --fix)
    "$bin/prettier" --write --log-level warn "${scope[@]}" || exit 1
    exec "$bin/eslint" --config scripts/lint/eslint.config.mjs --fix .
    ;;
esac

status=0
"$bin/prettier" --check --log-level warn "${scope[@]}" || { echo "format check failed: 'bash scripts/lint.sh --fix' formats the files listed above"; status=1; }
"$bin/eslint" --config scripts/lint/eslint.config.mjs . || { echo "lint failed: fix the problems listed above"; status=1; }
exit $status
