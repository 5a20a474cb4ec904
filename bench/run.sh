#!/usr/bin/env bash
# Throughput of password logins and token refreshes, with Onboarding Guard's gate, token filter
# and event listener in the path versus the same realm without them, on one server in one run.
# Writes its section of docs/performance.md. Needs JDK 17, Maven, curl, python3; no Docker.
# Environment: BENCH_SECONDS (8), BENCH_WARMUP (15), BENCH_THREADS (4), BENCH_ROUNDS (8), BENCH_PORT (8180).
# About 21 minutes with the defaults.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/../scripts/lib/demo-realm.sh"
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN="${BENCH_SECONDS:-8}"
THREADS="${BENCH_THREADS:-4}"
ROUNDS="${BENCH_ROUNDS:-8}"
WARMUP="${BENCH_WARMUP:-15}"
PORT="${BENCH_PORT:-8180}"
start_bench_server bench "$PORT"
PASSWORD="bench-password-2026"

json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

set_password() {
  _api PUT "$BASE/admin/realms/$1/users/$2/reset-password" "$token" \
    "{\"type\":\"password\",\"value\":\"$PASSWORD\",\"temporary\":false}" >/dev/null
  _api PUT "$BASE/admin/realms/$1/users/$2" "$token" '{"emailVerified":true}' >/dev/null
}

user_id() { _api GET "$BASE/admin/realms/$1/users?exact=true&username=$2" "$token" | json_field 'd[0]["id"]'; }

# import_with_hire REALM: the demo realm as shipped under REALM, with a hire on probation; both
# the hire and hiring-manager get the benchmark password.
import_with_hire() {
  import_as "$1"
  local hire
  hire="$(_api POST "$BASE/admin/realms/$1/onboarding/cases" "$token" \
    '{"username":"bench-hire","email":"bench-hire@example.com","firstName":"Bench","lastName":"Hire","sponsor":"hiring-manager","grants":{"groups":["/engineering"]},"invitation":{"send":false,"actions":[]}}' \
    | json_field 'd["user"]["id"]')"
  set_password "$1" "$hire"
  set_password "$1" "$(user_id "$1" hiring-manager)"
}

log "guarded realm: the demo realm as shipped, with a hire on probation"
import_with_hire bench-guarded

log "quiet realm: the demo realm as shipped, hire included, but without the onboarding event listener"
import_with_hire bench-quiet
_api PUT "$BASE/admin/realms/bench-quiet" "$token" '{"eventsListeners":["jboss-logging"]}' >/dev/null

log "open realm: the guarded realm without the client policy (to tell its cost from the rest)"
import_with_hire bench-open
_api PUT "$BASE/admin/realms/bench-open/client-policies/policies" "$token" '{"policies":[]}' >/dev/null

log "stock realm: the same realm with Keycloak's own flows, no token filter, no client policy, no onboarding listener"
import_as bench-stock
_api PUT "$BASE/admin/realms/bench-stock" "$token" \
  '{"browserFlow":"browser","directGrantFlow":"direct grant","resetCredentialsFlow":"reset credentials","firstBrokerLoginFlow":"first broker login","eventsListeners":["jboss-logging"]}' >/dev/null
_api PUT "$BASE/admin/realms/bench-stock/client-policies/policies" "$token" '{"policies":[]}' >/dev/null
client="$(_api GET "$BASE/admin/realms/bench-stock/clients?clientId=hr-portal" "$token" | json_field 'd[0]["id"]')"
scope="$(_api GET "$BASE/admin/realms/bench-stock/client-scopes" "$token" | json_field '[s["id"] for s in d if s["name"]=="onboarding"][0]')"
_api DELETE "$BASE/admin/realms/bench-stock/clients/$client/default-client-scopes/$scope" "$token" >/dev/null
_api POST "$BASE/admin/realms/bench-stock/users" "$token" \
  '{"username":"bench-hire","email":"bench-hire@example.com","firstName":"Bench","lastName":"Hire","enabled":true,"emailVerified":true}' >/dev/null
stock_user="$(user_id bench-stock bench-hire)"
set_password bench-stock "$stock_user"
set_password bench-stock "$(user_id bench-stock hiring-manager)"
role="$(_api GET "$BASE/admin/realms/bench-stock/roles/onboarding-probationary" "$token")"
_api POST "$BASE/admin/realms/bench-stock/users/$stock_user/role-mappings/realm" "$token" "[$role]" >/dev/null

scenario() { printf '%s=%s/hr-portal/hr-portal-demo-secret/%s/%s' "$1" "$2" "$3" "$PASSWORD"; }
log "measuring: ${WARMUP}s warm-up, then $ROUNDS rounds x ${SECONDS_PER_RUN}s per scenario, $THREADS client threads"
java "$PROJECT_ROOT/bench/TokenBench.java" "$BASE" "$SECONDS_PER_RUN" "$WARMUP" "$THREADS" "$ROUNDS" \
  "$(scenario stock-hire bench-stock bench-hire)" \
  "$(scenario guarded-hire bench-guarded bench-hire)" \
  "$(scenario stock-employee bench-stock hiring-manager)" \
  "$(scenario guarded-employee bench-guarded hiring-manager)" \
  "$(scenario quiet-hire bench-quiet bench-hire)" \
  "$(scenario quiet-employee bench-quiet hiring-manager)" \
  "$(scenario open-hire bench-open bench-hire)" \
  "$(scenario open-employee bench-open hiring-manager)" | tee "$BENCH_DIR/results.txt"

python3 "$PROJECT_ROOT/bench/report.py" "$BENCH_DIR/results.txt" "$SECONDS_PER_RUN" "$WARMUP" "$THREADS" "$ROUNDS" \
  "$KEYCLOAK_SERVER_VERSION" >"$BENCH_DIR/section.md"
write_section tokens "$BENCH_DIR/section.md"
log "wrote the login and refresh section of docs/performance.md"
