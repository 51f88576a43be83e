#!/usr/bin/env bash
# Builds localhost/discounts-local/<name>:<version> for each static Go binary given: an image
# with nothing but the binary (at /<name>, the entrypoint; see path_in_image) and an empty /tmp,
# run as a numeric non-root user. No shell, no libc, no /etc/passwd (the user is a number, which
# is all the kernel and the kubelet's runAsNonRoot check need), no CA bundle (none of these
# binaries makes TLS connections to public servers).
#
# Where each binary comes from:
#   pause         built here from tools/cluster/images/pause (the pods' sandbox; containerd's
#                 sandbox_image), into the shared tool cache
#   ferretdb-dev  tools/ferretdb-dev/build.sh (the project's MongoDB stand-in)
#   anything else $TOOL_BIN/<name>, built by tools/cluster/build.sh (nats-server, coredns, ...)
# NAME:VERSION sets the tag; otherwise it is read from the binary's Go build info.
#
# Usage: static.sh NAME[:VERSION]...   stdout: one image reference per name. stderr: progress.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# binary_of NAME: the path of NAME's binary, building it first where this script knows how.
binary_of() {
  case "$1" in
    pause)
      local dir="$IMAGES_HOME/pause"
      # -s -w: no symbol table or DWARF; the sandbox never needs a debugger (1.6 MB instead of 2.4).
      go_build_cached pause "$({ cat "$dir/go.mod" "$dir/main.go"; echo "-s -w"; } | hash_stdin)" "$dir" -- -ldflags '-s -w' .
      echo "$TOOL_BIN/pause"
      ;;
    ferretdb-dev) bash "$CLUSTER_REPO/tools/ferretdb-dev/build.sh" | tail -n 1 ;;
    *)
      [[ -x "$TOOL_BIN/$1" ]] || die "$1: no binary $TOOL_BIN/$1 (build it with tools/cluster/build.sh)"
      echo "$TOOL_BIN/$1"
      ;;
  esac
}

# path_in_image NAME: where the binary goes (and the entrypoint): /NAME, unless what runs the image
# names another path. The Prometheus Operator starts its reloader as /bin/prometheus-config-reloader
# (and Prometheus from the image's entrypoint, upstream's /bin/prometheus).
path_in_image() {
  case "$1" in
    prometheus-config-reloader | prometheus) echo "/bin/$1" ;;
    *) echo "/$1" ;;
  esac
}

# version_of NAME BINARY: the main module's version from the Go build info, or, for a binary
# built from an own wrapper module (version "(devel)"), the version of the dependency named like
# the binary (ferretdb-dev -> github.com/FerretDB/FerretDB, traefik -> .../traefik/v3).
version_of() {
  local name="$1" bin="$2" info main want
  [[ "$name" == pause ]] && { echo "$PAUSE_VERSION"; return; }
  info="$(go version -m "$bin" 2>/dev/null)" || { echo dev; return; }
  main="$(awk '$1 == "mod" { print $3; exit }' <<<"$info")"
  if [[ "$main" =~ ^v[0-9] ]]; then echo "$main"; return; fi
  want="${name%-dev}"
  awk -v want="$want" '$1 == "dep" || $1 == "=>" {
      n = split($2, p, "/"); last = p[n]; if (last ~ /^v[0-9]+$/ && n > 1) last = p[n - 1]
      if (tolower(last) == tolower(want) && $3 ~ /^v[0-9]/) { print $3; found = 1; exit }
    } END { if (!found) print "dev" }' <<<"$info"
}

ctr="" mnt=""
cleanup() {
  if [[ -n "$mnt" ]]; then buildah umount "$ctr" >/dev/null || true; fi
  if [[ -n "$ctr" ]]; then buildah rm "$ctr" >/dev/null || true; fi
}
trap cleanup EXIT

for arg in "$@"; do
  name="${arg%%:*}"
  [[ "$name" =~ ^[a-z0-9][a-z0-9._-]*$ ]] || die "static.sh: bad image name $name"
  started=$SECONDS
  bin="$(binary_of "$name")"
  # A dynamically linked binary would fail in an image without libc ("no such file or directory").
  file -bL "$bin" | grep -Eq 'statically linked|static-pie linked' || die "$name: $bin is not a static binary"
  version="$(version_of "$name" "$bin")"
  [[ "$arg" == *:* ]] && version="${arg#*:}"
  ref="localhost/discounts-local/$name:$version"
  # The kubelet's sandbox user, as in registry.k8s.io/pause; the distroless "nonroot" otherwise.
  user=65532:65532
  [[ "$name" == pause ]] && user=65535:65535
  key="$({ sha256sum <"$bin"; printf '%s\n' "$name" "$version" "$user"; script_code "${BASH_SOURCE[0]}"; } | hash_stdin)"
  if [[ "$(image_key "$ref")" == "$key" ]]; then
    log "$name: up to date ($ref)"
    echo "$ref"
    continue
  fi

  ctr="$(buildah from scratch)"
  mnt="$(buildah mount "$ctr")"
  install -D -m 0755 "$bin" "$mnt$(path_in_image "$name")"
  # Go's os.TempDir is /tmp; without it, anything writing a temp file fails (read-only rootfs
  # pods mount an emptyDir there instead).
  install -d -m 1777 "$mnt/tmp"
  buildah umount "$ctr" >/dev/null
  mnt=""
  buildah config --entrypoint "[\"$(path_in_image "$name")\"]" --cmd '[]' --user "$user" --workingdir / \
    --label "$KEY_LABEL=$key" \
    --label "org.opencontainers.image.title=$name" \
    --label "org.opencontainers.image.version=$version" \
    "$ctr"
  # --timestamp 0: the same binary gives the same image digest, so a re-import is a no-op.
  commit_replacing "$ctr" "$ref" --timestamp 0
  buildah rm "$ctr" >/dev/null
  ctr=""
  log "$name: built $ref in $((SECONDS - started)) s"
  echo "$ref"
done
