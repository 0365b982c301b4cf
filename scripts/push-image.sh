#!/usr/bin/env bash
# Builds the Lambda image and pushes it to ECR under a content-hash tag. Run by Terraform
# (terraform_data local-exec in FunctionImage) when the image inputs change; the stack then reads
# the pushed digest back by tag. Registry credentials only live in this process and the local
# docker credential store: nothing is written to Terraform state.
#
# Environment (set by the stack): REPOSITORY_URL, REPOSITORY_NAME, REGISTRY_REGION, IMAGE_TAG,
# BUILD_CONTEXT, DOCKERFILE, PLATFORM, and BUILD_ARG_<NAME> for each --build-arg.
set -euo pipefail

fail() {
  echo "push-image: $*" >&2
  exit 1
}

for var in REPOSITORY_URL REPOSITORY_NAME REGISTRY_REGION IMAGE_TAG BUILD_CONTEXT DOCKERFILE PLATFORM; do
  [[ -n "${!var:-}" ]] || fail "environment variable $var is not set (the stack sets it)"
done
command -v docker >/dev/null 2>&1 ||
  fail "docker is not installed or not on the PATH (needed to build the Lambda image)"
command -v aws >/dev/null 2>&1 ||
  fail "the AWS CLI (aws) is not installed or not on the PATH (needed to log in to ECR)"
docker info >/dev/null 2>&1 || fail "the docker daemon is not reachable (is Docker running?)"
[[ -d "$BUILD_CONTEXT" ]] || fail "build context $BUILD_CONTEXT is not a directory (run from $(pwd))"
[[ -f "$BUILD_CONTEXT/$DOCKERFILE" ]] || fail "no $DOCKERFILE in $BUILD_CONTEXT"

image="$REPOSITORY_URL:$IMAGE_TAG"

# The same source hash was pushed before (another machine, a recreated state entry): reuse it.
if aws ecr describe-images --region "$REGISTRY_REGION" --repository-name "$REPOSITORY_NAME" \
  --image-ids "imageTag=$IMAGE_TAG" >/dev/null 2>&1; then
  echo "push-image: $image already in ECR, not rebuilding"
  exit 0
fi

build_args=()
while IFS= read -r name; do
  build_args+=(--build-arg "${name#BUILD_ARG_}=${!name}")
done < <(compgen -e | grep '^BUILD_ARG_' || true)

# An ARG without a default (such as a checksum) must be given: building without it would fail
# late, or download something unchecked.
while IFS= read -r arg; do
  var="BUILD_ARG_$arg"
  [[ -n "${!var:-}" ]] ||
    fail "$DOCKERFILE needs the build argument $arg and none was given (for RDS_CA_BUNDLE_SHA256: set librechat.image.rdsCaBundleSha256, see docs/security.md)"
done < <(grep -E '^ARG[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]*$' "$BUILD_CONTEXT/$DOCKERFILE" |
  while read -r _ name; do echo "$name"; done)

registry="${REPOSITORY_URL%%/*}"
aws ecr get-login-password --region "$REGISTRY_REGION" |
  docker login --username AWS --password-stdin "$registry" >/dev/null

# --provenance=false: Lambda rejects the image index that build attestations would create.
docker build --provenance=false --platform "$PLATFORM" \
  -f "$BUILD_CONTEXT/$DOCKERFILE" "${build_args[@]}" -t "$image" "$BUILD_CONTEXT"
docker push "$image"
echo "push-image: pushed $image"
