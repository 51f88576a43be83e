#!/usr/bin/env bash
# Builds tools/ferretdb-dev into <repo>/.cache/bin/ferretdb-dev, once.
#
# The build compiles ~540 packages (FerretDB + pure-Go SQLite), which takes
# minutes cold, so it is cached: a stamp file beside the binary holds a hash
# of go.mod, go.sum and the Go sources (plus the Go version), and the build is skipped
# while it matches. Works from any cwd; safe to run repeatedly or from tests.
#
# stdout: the binary's absolute path, as the last (only) line.
# stderr: everything else.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bindir="$repo/.cache/bin"
bin="$bindir/ferretdb-dev"
stamp="$bin.stamp"

command -v go >/dev/null 2>&1 || { echo "build.sh: go not found in PATH" >&2; exit 1; }

# The Go version is part of the key: a toolchain upgrade must rebuild.
want="$(cd "$here" && { cat go.mod go.sum ./*.go; go env GOVERSION; } | sha256sum | cut -d' ' -f1)"

if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "ferretdb-dev: up to date" >&2
else
  echo "ferretdb-dev: building (first build takes a few minutes)..." >&2
  mkdir -p "$bindir"
  tmp="$(mktemp "$bindir/.ferretdb-dev.XXXXXX")"
  trap 'rm -f "$tmp"' EXIT
  # CGO_ENABLED=0: FerretDB's SQLite backend is modernc.org/sqlite (pure Go),
  # so no C compiler is needed and the binary is static.
  # -trimpath: no local paths in the binary, reproducible across checkouts.
  # -mod=readonly: never rewrite go.mod/go.sum as a side effect of building.
  # -buildvcs=false: don't shell out to git (fails on "dubious ownership" in
  # CI containers, and the repo's git state is irrelevant to this binary).
  (cd "$here" && CGO_ENABLED=0 go build -mod=readonly -trimpath -buildvcs=false -o "$tmp" .) >&2
  # Rename is atomic: a concurrent caller sees the old or the new binary,
  # never a half-written one. The stamp is written last.
  mv -f "$tmp" "$bin"
  trap - EXIT
  printf '%s\n' "$want" > "$stamp"
  echo "ferretdb-dev: built" >&2
fi

echo "$bin"
