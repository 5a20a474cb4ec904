#!/usr/bin/env bash
# Starts Keycloak with the extension and the demo realm on this machine, without Docker:
# builds the provider JAR, unpacks the Keycloak distribution that Maven fetched, installs the JAR,
# starts the server in dev mode with H2, (re-)imports the demo realm and the partner agency's realm
# of realm-config/ through the admin API and opens the demo hire's onboarding case. Ctrl-C stops it.
# Environment: KC_PORT (8080), KC_ADMIN_USER (admin), KC_ADMIN_PASSWORD (admin).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/demo-realm.sh"

PORT="${KC_PORT:-8080}"
ADMIN_USER="${KC_ADMIN_USER:-admin}"
ADMIN_PASSWORD="${KC_ADMIN_PASSWORD:-admin}"
BASE_URL="http://localhost:$PORT"
SERVER_DIR="$WORK_DIR/keycloak-$KEYCLOAK_SERVER_VERSION"
SERVER_LOG="$WORK_DIR/keycloak.log"

if curl -s -o /dev/null "$BASE_URL"; then
  die "something already answers on port $PORT; stop it or set KC_PORT"
fi

log "building the provider JAR"
(cd "$PROJECT_ROOT" && mvn -B -q -DskipTests package) || die "build failed"
jar="$(provider_jar)"

if [ ! -x "$SERVER_DIR/bin/kc.sh" ]; then
  zip="$(keycloak_dist_zip)"
  log "unpacking Keycloak $KEYCLOAK_SERVER_VERSION into $SERVER_DIR"
  mkdir -p "$WORK_DIR"
  (cd "$WORK_DIR" && unzip -q -o "$zip")
fi
rm -f "$SERVER_DIR"/providers/keycloak-onboarding-guard-*.jar
cp "$jar" "$SERVER_DIR/providers/"

WEBHOOK_PORT=8099
WEBHOOK_LOG="$WORK_DIR/webhooks.log"
mkdir -p "$WORK_DIR"
log "starting the demo webhook receiver on localhost:$WEBHOOK_PORT (verified deliveries: $WEBHOOK_LOG)"
python3 "$(dirname "$0")/lib/demo-webhook-receiver.py" "$WEBHOOK_PORT" >"$WEBHOOK_LOG" 2>&1 &
RECEIVER_PID=$!
sleep 1
# Someone else's server on that port would get the demo's signed deliveries: stop instead.
kill -0 "$RECEIVER_PID" 2>/dev/null || die "the demo webhook receiver could not listen on port $WEBHOOK_PORT (in use?); see $WEBHOOK_LOG"

export KC_BOOTSTRAP_ADMIN_USERNAME="$ADMIN_USER" KC_BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD"
log "starting Keycloak (log: $SERVER_LOG)"
# declarative-ui shows the extension's "Onboarding policy" page in the admin console. The demo
# realm's webhook subscription names webhooks.demo.internal, a host the operator allows and that
# Keycloak's HTTP client reaches through the receiver above, as an internal receiver behind a proxy.
# localhost is allowed too: in development mode a subscription of your own may name
# http://localhost:$WEBHOOK_PORT/ (production refuses the server's own machine whatever is listed).
"$SERVER_DIR/bin/kc.sh" start-dev --http-port="$PORT" --features=declarative-ui --metrics-enabled=true \
  --spi-events-listener--onboarding-guard--webhook-allowed-hosts=webhooks.demo.internal,localhost \
  --spi-connections-http-client--default--proxy-mappings='webhooks\.demo\.internal;http://127.0.0.1:'"$WEBHOOK_PORT" \
  >"$SERVER_LOG" 2>&1 &
KEYCLOAK_PID=$!
stop_keycloak() {
  if kill -0 "$KEYCLOAK_PID" 2>/dev/null; then
    log "stopping Keycloak"
    kill "$KEYCLOAK_PID" 2>/dev/null || true
    wait "$KEYCLOAK_PID" 2>/dev/null || true
  fi
  kill "$RECEIVER_PID" 2>/dev/null || true
  wait "$RECEIVER_PID" 2>/dev/null || true
}
trap stop_keycloak EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 180); do
  curl -sf -o /dev/null "$BASE_URL/realms/master" && break
  kill -0 "$KEYCLOAK_PID" 2>/dev/null || { tail -n 40 "$SERVER_LOG"; die "Keycloak exited"; }
  sleep 1
done
curl -sf -o /dev/null "$BASE_URL/realms/master" || die "Keycloak did not start; see $SERVER_LOG"

import_demo_realm "$BASE_URL" "$ADMIN_USER" "$ADMIN_PASSWORD" "$PROJECT_ROOT/realm-config"

cat <<INFO

  Keycloak Onboarding Guard runs at $BASE_URL

  Admin console:    $BASE_URL/admin/   ($ADMIN_USER / $ADMIN_PASSWORD)
  Demo realm:       $DEMO_REALM  (Realm settings are in the admin console; the policy is under "Onboarding policy")
  Account console:  $BASE_URL/realms/$DEMO_REALM/account/   (new-hire sees their onboarding page here)
  Onboarding console: $BASE_URL/realms/$DEMO_REALM/onboarding/console/   (verifier, auditor, iam-admin)
  Demo users (password $DEMO_PASSWORD):
    iam-admin       IAM admin (realm-admin of the demo realm)
    hiring-manager  sponsor of new hires, member of engineering
    verifier        runs identity verification ceremonies
    auditor         reads the onboarding audit trail
    new-hire        a new remote hire on probation; will join engineering once verified
                    (also "Sign in with Partner agency" as noah.newhire, realm $PARTNER_REALM)

  Webhooks:         the demo realm's subscription delivers to a receiver on this machine that checks each
                    signature and prints it to $WEBHOOK_LOG (tail -f it); a subscription of your own
                    may name http://localhost:$WEBHOOK_PORT/ (its secret: the demo's, see docs/admin-guide.md)
  Metrics:          http://localhost:9000/metrics (monitoring/ has a Grafana dashboard and Prometheus rules)
  Server log: $SERVER_LOG. Press Ctrl-C to stop.

INFO
wait "$KEYCLOAK_PID"
