# Sourced by tools/cluster/build.sh and test/deploy/support/build-helm.sh: one way to build a pinned
# Go command into the tool cache, once.
#
# The cache lives outside the clone (DISCOUNTS_TOOL_CACHE, default ~/.cache/discounts-tools), so
# every clone, CI run and later session on the machine reuses it. Each binary has a stamp beside it
# holding a hash of what built it (the pinned module files, the build flags, the Go toolchain); a
# missing or different stamp rebuilds, a matching one is a no-op.

TOOL_CACHE="${DISCOUNTS_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/discounts-tools}"
TOOL_BIN="$TOOL_CACHE/bin"

# go_build_cached NAME KEY DIR -- GO_BUILD_ARGS...
#   Builds `go build GO_BUILD_ARGS` in DIR with -o into a temporary directory unless NAME's stamp
#   equals KEY (plus the Go version), then moves every built file into $TOOL_BIN (atomic renames,
#   stamp last). GO_BUILD_ARGS must not contain -o.
go_build_cached() {
  local name="$1" key="$2" dir="$3"
  shift 4
  local stamp="$TOOL_BIN/.$name.stamp" want
  want="$(printf '%s\n' "$key" "$(go env GOVERSION)" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "$name: up to date" >&2
    return 0
  fi
  echo "$name: building (cold: minutes)..." >&2
  mkdir -p "$TOOL_BIN"
  local out started=$SECONDS
  out="$(mktemp -d "$TOOL_BIN/.$name.XXXXXX")"
  # -trimpath: no local paths; -buildvcs=false: the caller's git state is not part of the tool.
  if ! (cd "$dir" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -o "$out/" "$@") >&2; then
    rm -rf "$out"
    echo "$name: build failed" >&2
    return 1
  fi
  local f
  for f in "$out"/*; do mv -f "$f" "$TOOL_BIN/"; done
  rmdir "$out"
  printf '%s\n' "$want" >"$stamp"
  echo "$name: built in $((SECONDS - started)) s" >&2
}
