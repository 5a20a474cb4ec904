#!/usr/bin/env bash
# What enrollment rules cost: (1) logins and refreshes of a user without a case in a realm whose
# policy has enrollment rules, against stock Keycloak and against the same realm without rules;
# (2) users created through Keycloak's SCIM API with a rule that enrolls every one of them, against
# the same realm without rules. One server, one run. Writes its section of docs/performance.md.
# Needs JDK 17, Maven, curl, python3; no Docker.
# Environment: BENCH_SECONDS (8), BENCH_WARMUP (15), BENCH_THREADS (4), BENCH_ROUNDS (8),
# BENCH_SCIM_USERS (1000 per realm), BENCH_PORT (8190). About 8 minutes with the defaults.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/../scripts/lib/demo-realm.sh"
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN="${BENCH_SECONDS:-8}"
THREADS="${BENCH_THREADS:-4}"
ROUNDS="${BENCH_ROUNDS:-8}"
WARMUP="${BENCH_WARMUP:-15}"
SCIM_USERS="${BENCH_SCIM_USERS:-1000}"
SCIM_ROUNDS=4
PORT="${BENCH_PORT:-8190}"
BENCH_KC_OPTS="--features=scim-api"
start_bench_server enrollment "$PORT"

# set_rules REALM JSON_LIST: the policy's enrollment rules, as an admin saves them.
set_rules() {
  python3 - "$BASE" "$token" "$1" "$2" <<'PY'
import json, sys, urllib.request
base, token, realm, rules = sys.argv[1:5]
def call(method, path, body=None):
    request = urllib.request.Request(base + "/admin/realms/" + realm + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None
pages = call("GET", "/components?type=org.keycloak.services.ui.extend.UiPageProvider")
policy = next(page for page in pages if page["providerId"] == "onboarding-policy")
policy["config"]["enrollmentRules"] = json.loads(rules)
call("PUT", "/components/" + policy["id"], policy)
PY
}

# scim_client REALM: SCIM on in the realm, and a client 'hr-sync' (manage-users) whose tokens name
# the realm's SCIM endpoint, as an HRIS connector uses it.
scim_client() {
  local realm="$1" client sa rm role
  _api PUT "$BASE/admin/realms/$realm" "$token" '{"scimApiEnabled":true}' >/dev/null
  _api POST "$BASE/admin/realms/$realm/clients" "$token" "{\"clientId\":\"hr-sync\",\"secret\":\"hr-sync-bench-secret\",\"publicClient\":false,\"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,\"protocolMappers\":[{\"name\":\"scim audience\",\"protocol\":\"openid-connect\",\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.custom.audience\":\"$BASE/realms/$realm/scim/v2\",\"access.token.claim\":\"true\"}}]}" >/dev/null
  client="$(_api GET "$BASE/admin/realms/$realm/clients?clientId=hr-sync" "$token" | json_field 'd[0]["id"]')"
  sa="$(_api GET "$BASE/admin/realms/$realm/clients/$client/service-account-user" "$token" | json_field 'd["id"]')"
  rm="$(_api GET "$BASE/admin/realms/$realm/clients?clientId=realm-management" "$token" | json_field 'd[0]["id"]')"
  role="$(_api GET "$BASE/admin/realms/$realm/clients/$rm/roles/manage-users" "$token")"
  _api POST "$BASE/admin/realms/$realm/users/$sa/role-mappings/clients/$rm" "$token" "[$role]" >/dev/null
}

log "rules realm: the demo realm, its policy enrolling every SCIM user and admin-created users in /new-hires"
import_as bench-rules
set_rules bench-rules '["admin group=/new-hires", "scim"]'
set_password bench-rules "$(user_id bench-rules hiring-manager)"
scim_client bench-rules

log "no-rules realm: the same realm, its policy without enrollment rules"
import_as bench-norules
set_rules bench-norules '[]'
set_password bench-norules "$(user_id bench-norules hiring-manager)"
scim_client bench-norules

log "stock realm: the same realm with Keycloak's own flows, no token filter, no client policy, no onboarding listener"
import_stock bench-stock

log "logins: ${WARMUP}s warm-up, then $ROUNDS rounds x ${SECONDS_PER_RUN}s per scenario, $THREADS client threads"
java "$PROJECT_ROOT/bench/TokenBench.java" "$BASE" "$SECONDS_PER_RUN" "$WARMUP" "$THREADS" "$ROUNDS" \
  "$(scenario stock-employee bench-stock hiring-manager)" \
  "$(scenario rules-employee bench-rules hiring-manager)" \
  "$(scenario norules-employee bench-norules hiring-manager)" | tee "$BENCH_DIR/results.txt"

log "SCIM: $SCIM_USERS users per realm in $SCIM_ROUNDS alternating rounds, $THREADS client threads"
java "$PROJECT_ROOT/bench/ScimBench.java" "$BASE" $((SCIM_USERS / SCIM_ROUNDS)) "$SCIM_ROUNDS" "$THREADS" \
  "rule-on=bench-rules/hr-sync/hr-sync-bench-secret" \
  "rule-off=bench-norules/hr-sync/hr-sync-bench-secret" | tee -a "$BENCH_DIR/results.txt"

token="$(_admin_token "$BASE" admin admin)"  # the first one has expired by now
cases="$(_api GET "$BASE/admin/realms/bench-rules/onboarding/cases?max=1" "$token" | json_field 'd["total"]')"
log "cases opened in the rules realm: $cases"

python3 "$PROJECT_ROOT/bench/enrollment_report.py" "$BENCH_DIR/results.txt" "$SECONDS_PER_RUN" "$WARMUP" \
  "$THREADS" "$ROUNDS" "$SCIM_USERS" "$cases" "$KEYCLOAK_SERVER_VERSION" >"$BENCH_DIR/section.md"
write_section enrollment "$BENCH_DIR/section.md"
log "wrote the enrollment section of docs/performance.md"
