# Shared helpers for scripts/*.sh. Source it; it defines functions and variables only.

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK_DIR="${ONBOARDING_WORK_DIR:-$PROJECT_ROOT/.work}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Reads a <property> from the parent pom so the scripts and the build never disagree on versions.
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$PROJECT_ROOT/pom.xml" | head -n 1
}

KEYCLOAK_SERVER_VERSION="$(pom_property keycloak.server.version)"
[ -n "$KEYCLOAK_SERVER_VERSION" ] || die "keycloak.server.version missing from pom.xml"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "'$*' needs root"; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# Path of the Keycloak $1 (default: the project's server version) distribution zip in the local
# Maven repository, fetched on first use.
keycloak_dist_zip() {
  local version="${1:-$KEYCLOAK_SERVER_VERSION}"
  local zip="${MAVEN_REPO:-$HOME/.m2/repository}/org/keycloak/keycloak-quarkus-dist/$version/keycloak-quarkus-dist-$version.zip"
  if [ ! -f "$zip" ]; then
    log "fetching keycloak-quarkus-dist $version from Maven"
    mvn -B -q dependency:get -Dtransitive=false \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" >&2 \
      || die "could not fetch the Keycloak distribution"
  fi
  printf '%s\n' "$zip"
}

# The deployable JAR built by Maven (never the test-hooks JAR that the tests load).
provider_jar() {
  local jar
  jar="$(ls "$PROJECT_ROOT"/providers/target/keycloak-onboarding-guard-*.jar 2>/dev/null | grep -v -- '-test-hooks' | head -n 1)"
  [ -n "$jar" ] || die "no provider JAR in providers/target; build first"
  printf '%s\n' "$jar"
}
