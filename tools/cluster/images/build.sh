#!/usr/bin/env bash
# Builds the local cluster's container images without any registry, writes each to an OCI
# archive under .data/cluster/images/ (NAME.oci.tar, NAME.ref holds the image's name), and with
# --import loads them into the cluster's containerd (namespace k8s.io, as the kubelet sees them).
#
#   build.sh [--import] [--tag TAG] [NAME[:VERSION]...]
#
# Names: generator, provider (localhost/discounts-<app>:TAG, from deploy/Dockerfile on the local
# bases), base (localhost/discounts-node-base and -runtime-base, built anyway when an app is), and
# static binary images (localhost/discounts-local/<name>:<version>): pause, ferretdb-dev, or any
# binary in the tool cache ($TOOL_BIN); kube-router (on Debian with iptables and ipset:
# debian-kube-router.sh). No names: both apps, pause, ferretdb-dev and whichever of nats-server,
# coredns and traefik the tool cache holds.
#
# Every step is cached (see base.sh, app.sh, static.sh): a warm run with nothing changed takes
# seconds. stdout: a table of the images (name, compressed archive size, unpacked size, seconds
# spent). stderr: progress.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$here/lib/common.sh"

do_import=false
names=()
while (($#)); do
  case "$1" in
    --import) do_import=true ;;
    --tag) IMAGE_TAG="$2"; shift ;;
    --tag=*) IMAGE_TAG="${1#--tag=}" ;;
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "build.sh: unknown option $1" ;;
    *) names+=("$1") ;;
  esac
  shift
done
export IMAGE_TAG

for tool in buildah mmdebstrap go npm jq file; do
  command -v "$tool" >/dev/null 2>&1 || die "build.sh: $tool not found in PATH"
done
[[ $EUID -eq 0 ]] || die "build.sh: buildah's rootful store and mmdebstrap's root mode need root"

if ((${#names[@]} == 0)); then
  names=(generator provider pause ferretdb-dev)
  for optional in nats-server coredns traefik; do
    if [[ -x "$TOOL_BIN/$optional" ]]; then names+=("$optional"); else log "$optional: not in $TOOL_BIN yet, skipped"; fi
  done
fi

apps=() statics=() want_base=false
for name in "${names[@]}"; do
  case "$name" in
    generator | provider) apps+=("$name") ;;
    base) want_base=true ;;
    *) statics+=("$name") ;;
  esac
done

# rows of "archive-name ref seconds", in build order.
rows=()
if $want_base || ((${#apps[@]})); then
  started=$SECONDS
  bases="$(bash "$here/base.sh" | tail -n 1)"
  read -r base_ref runtime_base_ref <<<"$bases"
  # Only a build input: archived (and listed) only when asked for by name.
  if $want_base; then
    export_archive base "$base_ref"
    rows+=("base $base_ref $((SECONDS - started))")
  fi
fi
for app in "${apps[@]}"; do
  started=$SECONDS
  ref="$(bash "$here/app.sh" "$base_ref" "$runtime_base_ref" "$app" | tail -n 1)"
  export_archive "$app" "$ref"
  rows+=("$app $ref $((SECONDS - started))")
done
for arg in "${statics[@]}"; do
  started=$SECONDS
  script=static.sh
  # kube-router: needs iptables and ipset beside it (debian-kube-router.sh).
  [[ "$arg" == kube-router ]] && script=debian-kube-router.sh
  ref="$(bash "$here/$script" "$arg" | tail -n 1)"
  export_archive "${arg%%:*}" "$ref"
  rows+=("${arg%%:*} $ref $((SECONDS - started))")
done

if $do_import; then
  for row in "${rows[@]}"; do
    read -r name _ _ <<<"$row"
    import_archive "$name"
  done
fi

printf '%-14s %-58s %12s %12s %6s\n' NAME IMAGE COMPRESSED UNPACKED SECONDS
for row in "${rows[@]}"; do
  read -r name ref seconds <<<"$row"
  read -r packed unpacked < <(archive_sizes "$name")
  printf '%-14s %-58s %12s %12s %6s\n' "$name" "$ref" "$(human "$packed")" "$(human "$unpacked")" "$seconds"
done
echo "archives: $IMAGE_ARCHIVES" >&2
