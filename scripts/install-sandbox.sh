#!/usr/bin/env bash
# Installs what the Bash sandbox needs (docs/sandbox.md): bubblewrap, which makes the
# sandbox, and socat, which carries --allow-net hosts into it. Debian/Ubuntu packages through
# apt-get (as root, or with sudo when it asks for no password). Idempotent; then checks that a
# sandbox can actually be made here and says why not when it cannot (no user namespaces).
# Never fails the caller: a worker without the sandbox refuses Bash and says why.
set -uo pipefail

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v socat >/dev/null 2>&1 || missing+=(socat)

if ((${#missing[@]} > 0)); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(false); fi
  fi
  if ! command -v apt-get >/dev/null 2>&1 || [[ "${sudo[*]}" == false ]]; then
    echo "baton: the Bash sandbox needs ${missing[*]}; install them with your package manager (Debian: apt-get install ${missing[*]})." >&2
  else
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || { "${sudo[@]}" apt-get update -q >/dev/null 2>&1 && "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; } \
      || echo "baton: could not install ${missing[*]} with apt-get; agents' Bash will be refused on this machine." >&2
  fi
fi

if ! command -v bwrap >/dev/null 2>&1; then
  echo "baton: bubblewrap is not installed: agents' Bash is refused (or run workers with --unsafe-bash)." >&2
  exit 0
fi
if ! err="$(bwrap --unshare-all --die-with-parent --ro-bind / / -- /bin/true 2>&1)"; then
  echo "baton: bubblewrap cannot make a sandbox here: $err" >&2
  echo "       It needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0)." >&2
  exit 0
fi
echo "baton: Bash sandbox ready ($(bwrap --version)$(command -v socat >/dev/null 2>&1 && echo ', socat for --allow-net'))" >&2
