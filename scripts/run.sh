#!/usr/bin/env bash
# Starts Keycloak with the extension and the demo realm on this machine, without Docker:
# builds the provider JAR, unpacks the Keycloak distribution that Maven fetched, installs the JAR,
# (re-)imports realm-config/onboarding-realm.json and runs the server in dev mode with H2.
# Ctrl-C stops it. Environment: KC_PORT (8080), KC_ADMIN_USER (admin), KC_ADMIN_PASSWORD (admin).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

PORT="${KC_PORT:-8080}"
ADMIN_USER="${KC_ADMIN_USER:-admin}"
ADMIN_PASSWORD="${KC_ADMIN_PASSWORD:-admin}"
REALM_FILE="$PROJECT_ROOT/realm-config/onboarding-realm.json"
REALM_NAME="$(sed -n 's/^  "realm": "\(.*\)",$/\1/p' "$REALM_FILE")"
SERVER_DIR="$WORK_DIR/keycloak-$KEYCLOAK_SERVER_VERSION"

log "building the provider JAR"
(cd "$PROJECT_ROOT" && mvn -B -q -DskipTests package) || die "build failed"
jar="$(ls "$PROJECT_ROOT"/providers/target/keycloak-onboarding-guard-*.jar | head -n 1)"

if [ ! -x "$SERVER_DIR/bin/kc.sh" ]; then
  zip="$(keycloak_dist_zip)"
  log "unpacking Keycloak $KEYCLOAK_SERVER_VERSION into $SERVER_DIR"
  mkdir -p "$WORK_DIR"
  (cd "$WORK_DIR" && unzip -q -o "$zip")
fi
rm -f "$SERVER_DIR"/providers/keycloak-onboarding-guard-*.jar
cp "$jar" "$SERVER_DIR/providers/"

export KC_BOOTSTRAP_ADMIN_USERNAME="$ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD"

log "importing $REALM_FILE (replaces the realm '$REALM_NAME' if it exists)"
"$SERVER_DIR/bin/kc.sh" import --file "$REALM_FILE" --override true \
  >"$WORK_DIR/import.log" 2>&1 || { tail -n 40 "$WORK_DIR/import.log"; die "realm import failed"; }

cat <<INFO

  Keycloak Onboarding Guard is starting at http://localhost:$PORT

  Admin console:    http://localhost:$PORT/admin/   ($ADMIN_USER / $ADMIN_PASSWORD)
  Demo realm:       $REALM_NAME
  Account console:  http://localhost:$PORT/realms/$REALM_NAME/account/
  Demo users (password demo-password-2026):
    iam-admin       IAM admin (realm-admin of the demo realm)
    hiring-manager  sponsor of new hires, member of engineering
    verifier        runs identity verification ceremonies
    auditor         reads the onboarding audit trail
    new-hire        a new remote hire on probation

  Press Ctrl-C to stop.

INFO
exec "$SERVER_DIR/bin/kc.sh" start-dev --http-port="$PORT"
