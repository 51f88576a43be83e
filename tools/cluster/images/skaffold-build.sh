#!/usr/bin/env bash
# The custom build of skaffold's `local` profile (skaffold.yaml): builds APP with buildah from
# deploy/Dockerfile (app.sh), names it as skaffold asked ($IMAGE, e.g. discounts-generator:v1-abc)
# and imports it into the local cluster's containerd under the names the kubelet will look up
# (docker.io/library/discounts-generator:v1-abc for that short name, and the same by image ID).
# Nothing is pushed.
#
# Usage (by skaffold): skaffold-build.sh APP   with IMAGE set.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
app="$1"
: "${IMAGE:?skaffold-build.sh is the custom build command of skaffold, which sets IMAGE}"
[[ "${PUSH_IMAGE:-false}" == false ]] || die "skaffold-build.sh: the local profile cannot push (no registry here)"

bases="$(bash "$IMAGES_HOME/base.sh" | tail -n 1)"
read -r base_ref runtime_base_ref <<<"$bases"
built="$(IMAGE_TAG=skaffold bash "$IMAGES_HOME/app.sh" "$base_ref" "$runtime_base_ref" "$app" | tail -n 1)"
# A short name means docker.io/library/<name> to the kubelet and containerd.
first="${IMAGE%%/*}"
if [[ "$IMAGE" == */* && ("$first" == *.* || "$first" == *:* || "$first" == localhost) ]]; then
  full="$IMAGE"
elif [[ "$IMAGE" == */* ]]; then
  full="docker.io/$IMAGE"
else
  full="docker.io/library/$IMAGE"
fi
# skaffold then deploys the image by a tag of its own, the image ID (NAME:<id>, after it has
# re-tagged it through the Docker API), so containerd gets that name too.
id="$(image_id "$built")"
by_id="${full%:*}:${id#sha256:}"
buildah tag "$built" "$IMAGE" "$full" "$by_id"
export_archive "skaffold-$app" "$full"
export_archive "skaffold-$app-by-id" "$by_id"
import_archive "skaffold-$app"
import_archive "skaffold-$app-by-id"
