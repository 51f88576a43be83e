#!/usr/bin/env bash
# Builds localhost/discounts-local/kube-router:<version>: kube-router (tools/cluster/build.sh) on a
# Debian minbase rootfs with iptables and ipset, for the local cluster's NetworkPolicy controller
# (tools/cluster/manifests/kube-router.yaml). Unlike static.sh's images this one needs userland:
# kube-router programs the kernel by running iptables-save/-restore (Debian's default, the nf_tables
# backend, as the node's kube-proxy uses) and ipset, whose extensions are loaded at run time, so
# copying binaries with their `ldd` libraries would miss them. The rootfs comes from Debian's
# packages (mmdebstrap, as base.sh does), cached in $IMAGE_CACHE.
#
# Usage: debian-kube-router.sh   stdout: the image reference. stderr: progress.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

bin="$TOOL_BIN/kube-router"
[[ -x "$bin" ]] || die "kube-router: no $bin (build it with tools/cluster/build.sh kube-router)"
# `go build` of the package reports kube-router as the main module ("mod"), not as a dependency.
version="$(go version -m "$bin" | awk '($1 == "mod" || $1 == "dep") && $2 == "github.com/cloudnativelabs/kube-router/v2" { print $3; exit }')"
[[ "$version" =~ ^v[0-9] ]] || die "kube-router: no kube-router module version in $bin's build info"
ref="localhost/discounts-local/kube-router:$version"

sources=(
  "deb $BASE_DEBIAN_MIRROR $BASE_DEBIAN_SUITE main"
  "deb $BASE_DEBIAN_MIRROR $BASE_DEBIAN_SUITE-updates main"
  "deb $BASE_DEBIAN_SECURITY_MIRROR $BASE_DEBIAN_SUITE-security main"
)
# shellcheck disable=SC2016 # the hook's $1 is for mmdebstrap to expand, not us
debian_args=(
  --mode=root --variant=minbase --include=iptables,ipset
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
  --customize-hook='rm -f "$1/etc/resolv.conf" "$1/etc/hostname"'
  --aptopt='Acquire::Retries "3"'
)
rootfs_key="$({ printf '%s\n' "$BASE_DEBIAN_SUITE" "${sources[@]}" "${debian_args[@]}"; } | hash_stdin)"
key="$({ sha256sum <"$bin"; printf '%s\n' "$rootfs_key" "$version"; script_code "${BASH_SOURCE[0]}"; } | hash_stdin)"
if [[ "$(image_key "$ref")" == "$key" ]]; then
  log "kube-router: up to date ($ref)"
  echo "$ref"
  exit 0
fi
started=$SECONDS
mkdir -p "$IMAGE_CACHE"

# Not named rootfs-*.tar: base.sh deletes every such tarball but its own.
rootfs="$IMAGE_CACHE/kube-router-rootfs-${rootfs_key:0:16}.tar"
if [[ ! -s "$rootfs" ]]; then
  log "kube-router: mmdebstrap $BASE_DEBIAN_SUITE minbase (+iptables, ipset)..."
  mmdebstrap --quiet "${debian_args[@]}" "$BASE_DEBIAN_SUITE" "${rootfs%.tar}.partial.tar" "${sources[@]}" >&2
  mv -f "${rootfs%.tar}.partial.tar" "$rootfs"
  find "$IMAGE_CACHE" -maxdepth 1 -name 'kube-router-rootfs-*.tar' ! -name "${rootfs##*/}" -delete
fi

ctr="" mnt=""
cleanup() {
  if [[ -n "$mnt" ]]; then buildah umount "$ctr" >/dev/null || true; fi
  if [[ -n "$ctr" ]]; then buildah rm "$ctr" >/dev/null || true; fi
}
trap cleanup EXIT

ctr="$(buildah from scratch)"
mnt="$(buildah mount "$ctr")"
tar -xpf "$rootfs" -C "$mnt" --numeric-owner
install -m 0755 "$bin" "$mnt/usr/local/bin/kube-router"
# The nf_tables backend is what the node's kube-proxy writes with; a legacy default would put
# kube-router's rules in tables the node's own chains never jump to.
chroot "$mnt" iptables --version | grep -q nf_tables || die "kube-router: the rootfs's iptables is not iptables-nft"
chroot "$mnt" ipset --version >/dev/null || die "kube-router: ipset does not run in the rootfs"
buildah umount "$ctr" >/dev/null
mnt=""
# Root: it rewrites the node's netfilter rules (the pod adds NET_ADMIN and NET_RAW, nothing else).
buildah config --entrypoint '["/usr/local/bin/kube-router"]' --cmd '[]' --user 0:0 --workingdir / \
  --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --label "$KEY_LABEL=$key" \
  --label "org.opencontainers.image.title=kube-router" \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.description=kube-router $version on Debian $BASE_DEBIAN_SUITE minbase with iptables and ipset" \
  "$ctr"
commit_replacing "$ctr" "$ref" --timestamp 0
buildah rm "$ctr" >/dev/null
ctr=""
log "kube-router: built $ref in $((SECONDS - started)) s"
echo "$ref"
