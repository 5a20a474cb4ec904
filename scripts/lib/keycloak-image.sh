# Makes sure a Keycloak server image exists for the integration tests. Prefers the official
# image; where registries other than Maven Central and Debian are unreachable it builds an
# equivalent image offline: a Debian root filesystem with a JRE plus the distribution zip
# that Maven fetched. Source common.sh first.

LOCAL_BASE_IMAGE="onboarding-guard/debian-jre17:bookworm"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Prints the image name the tests should use for Keycloak $1 (default: the project's server version).
ensure_keycloak_image() {
  local version="${1:-$KEYCLOAK_SERVER_VERSION}"
  local official="quay.io/keycloak/keycloak:$version"
  # The suffix names the recipe below: a changed recipe gets a new tag instead of a stale image.
  local local_image="onboarding-guard/keycloak:$version-r2"
  if image_exists "$official"; then echo "$official"; return 0; fi
  if image_exists "$local_image"; then echo "$local_image"; return 0; fi
  log "pulling $official"
  if timeout 60 docker pull -q "$official" >/dev/null 2>&1; then
    echo "$official"; return 0
  fi
  log "pull failed; building $local_image offline"
  build_local_keycloak_image "$version" "$local_image" >&2
  echo "$local_image"
}

build_local_keycloak_image() {
  local version="$1" image="$2"
  local ctx="$WORK_DIR/keycloak-image"
  rm -rf "$ctx" && mkdir -p "$ctx"
  if ! image_exists "$LOCAL_BASE_IMAGE"; then
    apt_install mmdebstrap
    log "bootstrapping a Debian bookworm root filesystem with OpenJDK 17"
    as_root mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless,ca-certificates \
      bookworm "$ctx/rootfs.tar" >"$WORK_DIR/mmdebstrap.log" 2>&1 \
      || { tail -n 20 "$WORK_DIR/mmdebstrap.log"; die "mmdebstrap failed"; }
    docker import "$ctx/rootfs.tar" "$LOCAL_BASE_IMAGE" >/dev/null
    rm -f "$ctx/rootfs.tar"
  fi
  local zip
  zip="$(keycloak_dist_zip "$version")"
  (cd "$ctx" && unzip -q "$zip" && mv "keycloak-$version" keycloak)
  # As in the official image: data/ (H2, data/import for --import-realm) belongs to the server's
  # user, so files copied into data/import do not leave it owned by root.
  mkdir -p "$ctx/keycloak/data/import"
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $LOCAL_BASE_IMAGE
ENV LANG=en_US.UTF-8
COPY --chown=1000:0 keycloak /opt/keycloak
USER 1000
EXPOSE 8080 8443 9000
ENTRYPOINT ["/opt/keycloak/bin/kc.sh"]
DOCKERFILE
  docker build -q -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "built $image"
}
