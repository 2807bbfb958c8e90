#!/usr/bin/env bash
# README command 1: install, start the embedded local stack, and run the example review script
# on this checkout. With ANTHROPIC_API_KEY it runs against Claude; without one it says so and
# runs an OFFLINE DEMO against Baton's bundled test model (scripted answers, not Claude), on a
# separate stack so a real one is never confused with it.
#   bash scripts/quickstart.sh          run it
#   bash scripts/quickstart.sh --down   stop the stacks it started
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

demo_home="${HOME}/.baton/offline-demo"
demo_port=7243

if [[ "${1:-}" == "--down" ]]; then
  node bin/baton.js down || true
  BATON_HOME="$demo_home" TEMPORAL_ADDRESS="localhost:$demo_port" node bin/baton.js down || true
  if [[ -f "$demo_home/model-server.pid" ]]; then kill "$(cat "$demo_home/model-server.pid")" 2>/dev/null || true; rm -f "$demo_home/model-server.pid"; fi
  exit 0
fi

[[ -d node_modules && -f dist/cli/main.js ]] || npm ci --no-audit --no-fund
bash scripts/install-temporal.sh >/dev/null
bash scripts/install-sandbox.sh

if [[ -n "${ANTHROPIC_API_KEY:-}" ]]; then
  node bin/baton.js up
  exec node bin/baton.js run examples/review-changes.js --yes
fi

cat >&2 <<'MSG'
────────────────────────────────────────────────────────────────────────────
 ANTHROPIC_API_KEY is not set, so Baton cannot call Claude.
 Running the OFFLINE DEMO instead: the same run on the same Temporal stack,
 but every agent talks to Baton's bundled test model, which plays scripted,
 schema-shaped answers. Nothing here is Claude's judgement.
 For real runs: export ANTHROPIC_API_KEY=... and run this script again.
────────────────────────────────────────────────────────────────────────────
MSG
mkdir -p "$demo_home/logs"
if ! { [[ -f "$demo_home/model-server.pid" ]] && kill -0 "$(cat "$demo_home/model-server.pid")" 2>/dev/null; }; then
  node dist/test/model-server/main.js --port 0 --responder demo >"$demo_home/logs/model-server.log" 2>&1 &
  echo $! >"$demo_home/model-server.pid"
fi
for _ in $(seq 1 50); do
  url="$(grep -m1 -o 'MODEL_SERVER_URL=.*' "$demo_home/logs/model-server.log" 2>/dev/null | cut -d= -f2- || true)"
  [[ -n "$url" ]] && break
  sleep 0.2
done
[[ -n "$url" ]] || { echo "the test model server did not start; see $demo_home/logs/model-server.log" >&2; exit 1; }

export BATON_HOME="$demo_home" TEMPORAL_ADDRESS="localhost:$demo_port"
ANTHROPIC_API_KEY=offline-demo ANTHROPIC_BASE_URL="$url" node bin/baton.js up --port "$demo_port"
status=0
node bin/baton.js run examples/review-changes.js --yes || status=$?
# The demo's stack is not the default one: these two lines point a shell's `baton` at it.
cat >&2 <<MSG
(offline demo) To reach its stack with baton, in your shell:
  export BATON_HOME="$demo_home"
  export TEMPORAL_ADDRESS="localhost:$demo_port"
Its Temporal UI: http://localhost:$((demo_port + 1000))
Stop it with 'bash scripts/quickstart.sh --down'.
MSG
exit $status
