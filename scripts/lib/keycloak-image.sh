# Makes sure a Keycloak server image exists for the integration tests. Prefers the official
# image; where registries other than Maven Central and Debian are unreachable it builds an
# equivalent image offline: a Debian root filesystem with a JRE plus the distribution zip
# that Maven fetched. Source common.sh first.

OFFICIAL_KEYCLOAK_IMAGE="quay.io/keycloak/keycloak:$KEYCLOAK_SERVER_VERSION"
# The suffix names the recipe below: a changed recipe gets a new tag instead of a stale image.
LOCAL_KEYCLOAK_IMAGE="onboarding-guard/keycloak:$KEYCLOAK_SERVER_VERSION-r2"
LOCAL_BASE_IMAGE="onboarding-guard/debian-jre17:bookworm"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# Prints the image name the tests should use.
ensure_keycloak_image() {
  if image_exists "$OFFICIAL_KEYCLOAK_IMAGE"; then echo "$OFFICIAL_KEYCLOAK_IMAGE"; return 0; fi
  if image_exists "$LOCAL_KEYCLOAK_IMAGE"; then echo "$LOCAL_KEYCLOAK_IMAGE"; return 0; fi
  log "pulling $OFFICIAL_KEYCLOAK_IMAGE"
  if timeout 60 docker pull -q "$OFFICIAL_KEYCLOAK_IMAGE" >/dev/null 2>&1; then
    echo "$OFFICIAL_KEYCLOAK_IMAGE"; return 0
  fi
  log "pull failed; building $LOCAL_KEYCLOAK_IMAGE offline"
  build_local_keycloak_image >&2
  echo "$LOCAL_KEYCLOAK_IMAGE"
}

build_local_keycloak_image() {
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
  zip="$(keycloak_dist_zip)"
  (cd "$ctx" && unzip -q "$zip" && mv "keycloak-$KEYCLOAK_SERVER_VERSION" keycloak)
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
  docker build -q -t "$LOCAL_KEYCLOAK_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "built $LOCAL_KEYCLOAK_IMAGE"
}
