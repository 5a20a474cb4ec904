#!/usr/bin/env bash
# Runs every test: unit tests and the integration tests against a real Keycloak in Docker.
# On a fresh Debian machine (as root) it first provisions what the tests need: a Docker engine,
# a Keycloak image, a private PostgreSQL server, a private LDAP directory (slapd), Chromium with its driver for the browser tests, and
# the Standard Webhooks library (npm) that checks webhook signatures.
# Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=DemoRealmConfigIT
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/docker-engine.sh"
source "$(dirname "$0")/lib/keycloak-image.sh"
source "$(dirname "$0")/lib/postgres.sh"
source "$(dirname "$0")/lib/ldap.sh"
source "$(dirname "$0")/lib/prometheus.sh"

remove_test_containers() {
  if docker info >/dev/null 2>&1; then
    docker ps -aq --filter label=org.testcontainers=true | xargs -r docker rm -f >/dev/null 2>&1 || true
  fi
}

cleanup() {
  remove_test_containers
  stop_started_docker_engine
  stop_started_postgres
  stop_started_ldap
}
trap cleanup EXIT
# Ctrl-C and kill end the script through its EXIT trap, so the daemons it started stop too.
trap 'exit 130' INT TERM

ensure_browser() {
  # Browser tests drive Debian's chromium through Debian's chromedriver, never a downloaded one.
  command -v chromium >/dev/null && command -v chromedriver >/dev/null || apt_install chromium chromium-driver
}

ensure_python() {
  # tools/verify-audit-export is Python (standard library only); tests run it on real exports.
  command -v python3 >/dev/null || apt_install python3
}

ensure_test_tools_from_npm() {
  # Webhook signatures are checked with the Standard Webhooks reference library, as receivers do;
  # axe-core runs the accessibility rules in the browser tests. Both from npm, pinned by the lock file.
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  # From the folder, not with --prefix: --prefix also moves npm's global config (the machine's
  # registry and CA settings in /etc/npmrc) to <prefix>/etc/npmrc.
  (cd "$PROJECT_ROOT/providers/src/test/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

ensure_browser
ensure_python
ensure_test_tools_from_npm
ensure_docker_engine
image="$(ensure_keycloak_image)"
log "integration tests use $image"
# Version matrix: images of the older releases VersionMatrixIT starts (skipped for a subset run
# that does not name it).
older_images=""
if [[ " $* " != *" -Dit.test="* || " $* " == *VersionMatrixIT* ]]; then
  IFS=',' read -r -a matrix_versions <<<"$(pom_property keycloak.matrix.versions)"
  for version in "${matrix_versions[@]}"; do
    older_images+="${older_images:+,}$version=$(ensure_keycloak_image "$version")"
  done
  log "version matrix: $older_images"
fi
ensure_postgres
pg_database="$(fresh_postgres_database)"
# The cluster test's nodes get a database of their own (their realms, their JGroups table).
pg_cluster_database="$(fresh_postgres_database cluster)"
log "PostgreSQL test databases: $pg_database and $pg_cluster_database on port $PG_PORT"
ensure_ldap
# The shipped Prometheus rules are checked by promtool (MonitoringIT).
ensure_promtool

# Ryuk's image cannot be pulled everywhere; the tests stop their container and this script
# removes leftovers, so the reaper is not needed.
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
# Inside a container the mapped ports are on this host's loopback, not on the bridge gateway.
if [ -f /.dockerenv ] && [ -z "${DOCKER_HOST:-}" ]; then
  export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"
fi

cd "$PROJECT_ROOT"
mvn -B verify -Dkeycloak.image="$image" \
  -Dchromium.path="$(command -v chromium)" -Dchromedriver.path="$(command -v chromedriver)" \
  -Donboarding.postgres.jdbcUrl="jdbc:postgresql://host.docker.internal:$PG_PORT/$pg_database" \
  -Donboarding.postgres.clusterJdbcUrl="jdbc:postgresql://host.docker.internal:$PG_PORT/$pg_cluster_database" \
  -Donboarding.postgres.user=keycloak -Donboarding.postgres.password=keycloak-it \
  -Donboarding.ldap.port="$LDAP_PORT" -Donboarding.ldap.baseDn="$LDAP_BASE_DN" \
  -Donboarding.ldap.bindDn="$LDAP_ADMIN_DN" -Donboarding.ldap.password="$LDAP_ADMIN_PASSWORD" \
  -Donboarding.promtool="$PROMTOOL" -Donboarding.olderKeycloakImages="$older_images" "$@"
