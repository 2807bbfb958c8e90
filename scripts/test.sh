#!/usr/bin/env bash
# The test command (README, CI): installs what is missing, builds, type-checks, lints, runs every
# test tier against a real Temporal dev server, and ends with a line `N passed, M failed`.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# `npm ci`: exactly the committed lock, which it never rewrites (checked on a fresh clone,
# 2026-11-30). A lock out of step with package.json fails here: run `npm install` and commit both.
if [[ "${CI:-}" == "true" || ! -d node_modules ]]; then
  npm ci --no-audit --no-fund || { echo "npm ci failed (is package-lock.json in step with package.json?)"; echo "0 passed, 1 failed"; exit 1; }
fi
bash scripts/install-temporal.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
# SeaweedFS, the S3 server the object-store tests run against (built once per machine, ~7 min).
# Under CI a failed install fails the run; elsewhere those tests skip, saying why.
if ! bash scripts/install-seaweedfs.sh >/dev/null; then
  if [[ "${CI:-}" == "true" ]]; then echo "SeaweedFS install failed"; echo "0 passed, 1 failed"; exit 1; fi
  echo "SeaweedFS is not installed: the object-store tests will be skipped"
fi
# bubblewrap and socat for the Bash sandbox; where none can be made its tests skip, saying why.
bash scripts/install-sandbox.sh
npm run --silent build || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

typecheck_status=0
npx tsc -p tsconfig.json --noEmit || typecheck_status=$?
[[ $typecheck_status -ne 0 ]] && echo "type-check failed (see above)"
# Format (prettier, on the files .prettier-scope lists) and lint (eslint): a failure fails the run.
lint_status=0
bash scripts/lint.sh || lint_status=$?
[[ $lint_status -ne 0 ]] && echo "format or lint check failed: see the lines above, or run 'bash scripts/lint.sh'"

mkdir -p test/artifacts
npx vitest run --reporter=default --reporter=json --outputFile.json=test/artifacts/vitest-results.json "$@"
vitest_status=$?
node scripts/count-test-results.mjs test/artifacts/vitest-results.json
count_status=$?

if [[ $vitest_status -ne 0 || $typecheck_status -ne 0 || $lint_status -ne 0 || $count_status -ne 0 ]]; then exit 1; fi
