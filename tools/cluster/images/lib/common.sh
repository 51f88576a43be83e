# shellcheck shell=bash
# Sourced by tools/cluster/images/*.sh: where images, archives and downloads live, and the steps
# every image shares (cache check, export to an archive, import into containerd, sizes).
#
# Images are built into buildah's own store (/var/lib/containers/storage), so buildah's layer
# cache works across runs and clones. The cluster's containerd cannot read that store, so each
# image is also written to an OCI archive under .data/cluster/images/ and imported from there.

IMAGES_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=SCRIPTDIR/../../lib/env.sh
source "$IMAGES_HOME/../lib/env.sh"
# shellcheck source=SCRIPTDIR/../versions.env
source "$IMAGES_HOME/versions.env"

IMAGE_ARCHIVES="$CLUSTER_DIR/images"
# Downloads and the Debian rootfs: outside the clone, beside the Go tool cache, so other clones
# and later sessions reuse them.
IMAGE_CACHE="${DISCOUNTS_IMAGE_CACHE:-$TOOL_CACHE/images}"
# What the chart's values name for the app images.
IMAGE_TAG="${IMAGE_TAG:-dev}"
# The proxy's CA for npm inside the app builds (a build secret: never stored in a layer).
NPM_CA_FILE="${NPM_CA_FILE:-/etc/ssl/certs/ca-certificates.crt}"
# A label on every image we build: the hash of everything it was built from. An equal label is
# what makes a second run skip the build.
KEY_LABEL=io.discounts.build-key

log() { echo "images: $*" >&2; }
die() { log "$*"; exit 1; }

# sha256 of stdin, hex only.
hash_stdin() { sha256sum | cut -d' ' -f1; }

# script_code FILE: a script without its comment lines, for build keys: rewording a comment must
# not rebuild an image (a new base would also void the apps' whole layer cache).
script_code() { grep -v '^[[:space:]]*#' "$1"; }

# The build key stored on an image, empty when the image is absent.
image_key() {
  buildah inspect --type image --format "{{index .OCIv1.Config.Labels \"$KEY_LABEL\"}}" "$1" 2>/dev/null || true
}

image_id() { buildah inspect --type image --format '{{.FromImageID}}' "$1"; }

# commit_replacing CONTAINER REF [buildah commit options...]: commits, then removes the image REF
# named before, which would otherwise linger untagged (hundreds of MB for the base). That
# removal fails while buildah's layer cache still builds on it; `buildah rmi --prune` clears
# such leftovers later.
commit_replacing() {
  local ctr="$1" ref="$2" old
  shift 2
  old="$(image_id "$ref" 2>/dev/null || true)"
  buildah commit --quiet "$@" "$ctr" "$ref" >/dev/null
  if [[ -n "$old" && "$old" != "$(image_id "$ref")" ]]; then buildah rmi "$old" >/dev/null 2>&1 || true; fi
}

# export_archive NAME REF: writes $IMAGE_ARCHIVES/NAME.oci.tar (the image named REF inside) and
# NAME.ref (REF, for the cluster scripts); .NAME.state holds the image ID and the sizes. Skipped
# while the archive holds the same image under the same reference (the name inside the archive is
# what containerd imports it as), so a warm run does not rewrite (and re-gzip) hundreds of MB.
export_archive() {
  local name="$1" ref="$2" id archive="$IMAGE_ARCHIVES/$1.oci.tar" state="$IMAGE_ARCHIVES/.$1.state"
  id="$(image_id "$ref")"
  mkdir -p "$IMAGE_ARCHIVES"
  if [[ -f "$archive" && -f "$state" && "$(cut -d' ' -f1 "$state")" == "$id" &&
    "$(cat "$IMAGE_ARCHIVES/$name.ref" 2>/dev/null)" == "$ref" ]]; then
    return 0
  fi
  rm -f "$state"
  # The full reference goes into the archive's index (org.opencontainers.image.ref.name), which
  # `ctr images import` takes as the image name as is. A tag alone there would be imported as
  # import-<date>:<tag>; a docker-archive would work too, but OCI is buildah's own format.
  buildah push --quiet "$ref" "oci-archive:$archive.partial:$ref" >/dev/null
  mv -f "$archive.partial" "$archive"
  printf '%s\n' "$ref" >"$IMAGE_ARCHIVES/$name.ref"
  printf '%s %s %s\n' "$id" "$(stat -c %s "$archive")" "$(unpacked_size "$archive")" >"$state"
}

# archive_sizes NAME: "compressed unpacked" in bytes.
archive_sizes() { cut -d' ' -f2,3 "$IMAGE_ARCHIVES/.$1.state"; }

# The sum of an OCI archive's uncompressed layers: what the image takes once unpacked.
unpacked_size() {
  local archive="$1" tmp manifest total=0 digest media size
  tmp="$(mktemp -d)"
  tar -xf "$archive" -C "$tmp"
  manifest="$(jq -r '.manifests[0].digest' "$tmp/index.json")"
  while read -r digest media; do
    if [[ "$media" == *gzip ]]; then
      size="$(gzip -dc "$tmp/blobs/sha256/${digest#sha256:}" | wc -c)"
    else
      size="$(stat -c %s "$tmp/blobs/sha256/${digest#sha256:}")"
    fi
    total=$((total + size))
  done < <(jq -r '.layers[] | "\(.digest) \(.mediaType)"' "$tmp/blobs/sha256/${manifest#sha256:}")
  rm -rf "$tmp"
  echo "$total"
}

# The cluster's containerd (lib/env.sh); IMAGES_CONTAINERD_SOCK points the import elsewhere,
# e.g. at a throwaway containerd while testing without a cluster.
CONTAINERD_SOCK="${IMAGES_CONTAINERD_SOCK:-$CONTAINERD_SOCK}"

# ctr against that containerd, in the namespace the kubelet (CRI) uses.
k8s_ctr() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

# import_archive NAME: imports $IMAGE_ARCHIVES/NAME.oci.tar unless containerd already holds the
# same manifest under the same name, then checks the name is exactly what a pod spec references.
import_archive() {
  local name="$1" archive="$IMAGE_ARCHIVES/$1.oci.tar" ref want have
  [[ -f "$archive" ]] || die "$name: no archive $archive (build it first)"
  [[ -S "$CONTAINERD_SOCK" ]] || die "no containerd socket at $CONTAINERD_SOCK (is the cluster up?)"
  ref="$(cat "$IMAGE_ARCHIVES/$name.ref")"
  want="$(tar -xOf "$archive" index.json | jq -r '.manifests[0].digest')"
  have="$(k8s_ctr images ls "name==$ref" | awk 'NR > 1 { print $3 }')"
  if [[ "$have" == "$want" ]]; then
    log "$name: already in containerd ($ref)"
    return 0
  fi
  # Unpacked at import (the default): the CRI creates containers from snapshots and would not
  # unpack an image it did not pull itself.
  local started=$SECONDS
  k8s_ctr images import "$archive" >&2
  have="$(k8s_ctr images ls "name==$ref" | awk 'NR > 1 { print $3 }')"
  [[ "$have" == "$want" ]] || die "$name: containerd does not list $ref with digest $want after import"
  log "$name: imported as $ref in $((SECONDS - started)) s"
}

# human BYTES: MiB with one decimal.
human() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }

# One image job at a time per machine, taken by whichever script sources this file first and
# held until it exits: jobs share buildah's store, the download cache and the archive names, and
# the cluster's scripts or skaffold may start one while someone builds by hand. Child scripts
# inherit the locked descriptor and the marker, so nesting does not deadlock.
if [[ -z "${IMAGES_LOCK_HELD:-}" ]]; then
  mkdir -p "$IMAGE_CACHE"
  exec {images_lock_fd}>"$IMAGE_CACHE/.lock"
  if ! flock -n "$images_lock_fd"; then
    log "waiting for another image job (lock $IMAGE_CACHE/.lock)..."
    flock "$images_lock_fd"
  fi
  export IMAGES_LOCK_HELD=1
fi
