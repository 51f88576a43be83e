#!/usr/bin/env bash
# Builds localhost/discounts-<app>:$IMAGE_TAG for each app given (generator, provider) from
# deploy/Dockerfile itself, with buildah's Dockerfile build, on the local base images (base.sh).
#
# buildah's layer cache (--layers) is the build cache: an unchanged step is reused, so a second
# build of an unchanged tree takes seconds, and the second app reuses the first one's build and
# prod-deps stages entirely. The context is the repository root, filtered by its .dockerignore.
#
# Usage: app.sh NODE_BASE_REF RUNTIME_BASE_REF APP...   stdout: one image reference per app. stderr: progress.
set -euo pipefail
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

base_ref="$1" runtime_base_ref="$2"
shift 2
secret=()
# npm ci inside the build goes through this machine's TLS-intercepting proxy; its CA is passed as
# a build secret (mounted for the npm ci steps only). Without the file, a build on a machine with
# direct access still works.
if [[ -s "$NPM_CA_FILE" ]]; then secret=(--secret "id=npm-ca,src=$NPM_CA_FILE"); fi

for app in "$@"; do
  case "$app" in generator | provider) ;; *) die "app.sh: unknown app $app" ;; esac
  ref="localhost/discounts-$app:$IMAGE_TAG"
  started=$SECONDS
  log "$app: buildah bud deploy/Dockerfile on $base_ref..."
  # --pull=never: the base exists only in the local store; a registry look-up would fail.
  # --network host: the RUN steps reach the npm registry as this host does (no CNI for buildah).
  # --layers: cache every step's result, so unchanged steps are reused on the next run.
  # The labels replace the ones inherited from the base (its version, description, build key).
  buildah bud --quiet --layers --pull=never --network host \
    "${secret[@]}" \
    --build-arg "BASE_IMAGE=$base_ref" --build-arg "RUNTIME_BASE_IMAGE=$runtime_base_ref" \
    --build-arg "APP=$app" \
    --build-arg "GIT_REVISION=$(git -C "$CLUSTER_REPO" rev-parse HEAD 2>/dev/null || echo unknown)" \
    --label "org.opencontainers.image.title=discounts-$app" \
    --label "org.opencontainers.image.version=$IMAGE_TAG" \
    --label "org.opencontainers.image.description=discounts $app (deploy/Dockerfile)" \
    --label "$KEY_LABEL=" \
    -f "$CLUSTER_REPO/deploy/Dockerfile" -t "$ref" "$CLUSTER_REPO" >&2
  log "$app: built $ref in $((SECONDS - started)) s"
  echo "$ref"
done
