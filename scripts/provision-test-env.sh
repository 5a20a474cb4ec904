#!/usr/bin/env bash
# Prepares what the integration tests need without running them: a Docker engine and a
# Keycloak image. Prints the image name. Used by test.sh; handy on its own to warm a machine.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/docker-engine.sh"
source "$(dirname "$0")/lib/keycloak-image.sh"
ensure_docker_engine
ensure_keycloak_image
