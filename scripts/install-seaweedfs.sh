#!/usr/bin/env bash
# Finds SeaweedFS's `weed` (an S3 server for the object-store tests), or builds it from the Go
# module proxy. `go install …/weed@VERSION` is refused (its go.mod has replace directives), so
# the module is downloaded, copied out of the read-only module cache and built there. The
# binary is cached per machine (the first build takes ~7 minutes on two cores) and linked into
# .tools/. Idempotent. Prints the binary's path as its last line.
set -euo pipefail

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${BATON_SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
machine_cache="${XDG_CACHE_HOME:-$HOME/.cache}/baton-tools/seaweedfs-$version"
local_bin="$project_root/.tools/weed"

if [[ -x "$local_bin" ]]; then echo "$local_bin"; exit 0; fi
if [[ ! -x "$machine_cache/weed" ]]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "baton: SeaweedFS is not built and there is no Go toolchain to build it with." >&2
    echo "       Install Go (1.24 or later), then run this again." >&2
    exit 1
  fi
  echo "baton: building SeaweedFS $version into $machine_cache (about 7 minutes, once per machine)" >&2
  work="$(mktemp -d)"
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  module_dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/seaweedfs/seaweedfs@$version" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  if [[ -z "$module_dir" || ! -d "$module_dir" ]]; then
    echo "baton: could not download github.com/seaweedfs/seaweedfs@$version from the Go module proxy." >&2
    exit 1
  fi
  cp -r "$module_dir" "$work/src"
  chmod -R u+w "$work/src"
  mkdir -p "$machine_cache"
  (cd "$work/src" && go build -o "$machine_cache/weed.partial" ./weed) >&2
  mv "$machine_cache/weed.partial" "$machine_cache/weed"
fi
mkdir -p "$project_root/.tools"
ln -sf "$machine_cache/weed" "$local_bin"
echo "$local_bin"
