#!/usr/bin/env bash
# The custom build of skaffold's `local` profile (skaffold.yaml): builds APP with buildah from
# deploy/Dockerfile (app.sh), names it as skaffold asked ($IMAGE, e.g. discounts-generator:v1-abc)
# and imports it into the local cluster's containerd under the name the kubelet will look up
# (docker.io/library/discounts-generator:v1-abc for that short name). Nothing is pushed.
#
# Usage (by skaffold): skaffold-build.sh APP   with IMAGE set.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
app="$1"
: "${IMAGE:?skaffold-build.sh runs as skaffold's custom build command, which sets IMAGE}"
[[ "${PUSH_IMAGE:-false}" == false ]] || die "skaffold-build.sh: the local profile cannot push (no registry here)"

base_ref="$(bash "$IMAGES_HOME/base.sh" | tail -n 1)"
built="$(IMAGE_TAG=skaffold bash "$IMAGES_HOME/app.sh" "$base_ref" "$app" | tail -n 1)"
# A short name means docker.io/library/<name> to the kubelet and containerd.
first="${IMAGE%%/*}"
if [[ "$IMAGE" == */* && ("$first" == *.* || "$first" == *:* || "$first" == localhost) ]]; then
  full="$IMAGE"
elif [[ "$IMAGE" == */* ]]; then
  full="docker.io/$IMAGE"
else
  full="docker.io/library/$IMAGE"
fi
buildah tag "$built" "$IMAGE" "$full"
export_archive "skaffold-$app" "$full"
import_archive "skaffold-$app"
