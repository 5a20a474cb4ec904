# Shared by the benchmark scripts: a dev-mode Keycloak with the extension, and realm imports.
# Needs common.sh and demo-realm.sh sourced first.

# start_bench_server NAME PORT [EXTRA_JAR...]: builds, unpacks Keycloak into .work/NAME, starts it,
# sets BASE, BENCH_DIR and token; the server stops when the script exits.
start_bench_server() {
  local name="$1" port="$2"
  shift 2
  BASE="http://localhost:$port"
  BENCH_DIR="$WORK_DIR/$name"
  local server_dir="$BENCH_DIR/keycloak-$KEYCLOAK_SERVER_VERSION"
  curl -s -o /dev/null "$BASE" && die "port $port is in use"
  (cd "$PROJECT_ROOT" && mvn -B -q -DskipTests package) || die "build failed"
  rm -rf "$server_dir" && mkdir -p "$BENCH_DIR"
  (cd "$BENCH_DIR" && unzip -q "$(keycloak_dist_zip)")
  cp "$(provider_jar)" "$@" "$server_dir/providers/"
  export KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin
  log "starting Keycloak on $port (log: $BENCH_DIR/keycloak.log)"
  # BENCH_KC_OPTS: more server options, e.g. another database (word-split on purpose).
  # shellcheck disable=SC2086
  "$server_dir/bin/kc.sh" start-dev --http-port="$port" --http-management-port=$((port + 1)) ${BENCH_KC_OPTS:-} \
    >"$BENCH_DIR/keycloak.log" 2>&1 &
  BENCH_KC_PID=$!
  trap 'kill "$BENCH_KC_PID" 2>/dev/null || true; wait "$BENCH_KC_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 180); do curl -sf -o /dev/null "$BASE/realms/master" && break; sleep 1; done
  curl -sf -o /dev/null "$BASE/realms/master" || die "Keycloak did not start; see $BENCH_DIR/keycloak.log"
  token="$(_admin_token "$BASE" admin admin)"
}

# import_as NAME: the demo realm under another name without its webhook subscription, brute-force detection
# off (load looks like an attack).
import_as() {
  python3 - "$PROJECT_ROOT/realm-config/onboarding-demo-realm.json" "$1" >"$BENCH_DIR/$1.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
name = json.loads(text)["realm"]
realm = json.loads(text.replace(name, sys.argv[2]))
# The demo's webhook subscription names scripts/run.sh's receiver, which this server neither allows
# nor runs: deliveries would only add load that stock Keycloak does not have.
pages = realm.get("components", {}).get("org.keycloak.services.ui.extend.UiPageProvider", [])
pages[:] = [page for page in pages if page.get("providerId") != "onboarding-webhook"]
print(json.dumps(realm))
PY
  _api POST "$BASE/admin/realms" "$token" "@$BENCH_DIR/$1.json" >/dev/null
  _api PUT "$BASE/admin/realms/$1" "$token" '{"bruteForceProtected":false}' >/dev/null
}

# write_section NAME FILE: replaces the part of docs/performance.md between NAME's markers with FILE.
write_section() {
  python3 - "$PROJECT_ROOT/docs/performance.md" "$1" "$2" <<'PY'
import os, sys
doc, name, part = sys.argv[1:4]
begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
text = open(doc).read() if os.path.exists(doc) else "# Performance\n"
body = open(part).read().strip()
block = f"{begin}\n{body}\n{end}"
if begin in text and end in text:
    text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n" + block + "\n"
open(doc, "w").write(text)
PY
}

BENCH_PASSWORD="bench-password-2026"

json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

set_password() {
  _api PUT "$BASE/admin/realms/$1/users/$2/reset-password" "$token" \
    "{\"type\":\"password\",\"value\":\"$BENCH_PASSWORD\",\"temporary\":false}" >/dev/null
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

# import_stock REALM: the same realm with Keycloak's own flows, no token filter, no client policy,
# no onboarding listener, and a bench-hire with the same roles but no case.
import_stock() {
  local realm="$1" client scope stock_user role
  import_as "$realm"
  _api PUT "$BASE/admin/realms/$realm" "$token" \
    '{"browserFlow":"browser","directGrantFlow":"direct grant","resetCredentialsFlow":"reset credentials","firstBrokerLoginFlow":"first broker login","eventsListeners":["jboss-logging"]}' >/dev/null
  _api PUT "$BASE/admin/realms/$realm/client-policies/policies" "$token" '{"policies":[]}' >/dev/null
  client="$(_api GET "$BASE/admin/realms/$realm/clients?clientId=hr-portal" "$token" | json_field 'd[0]["id"]')"
  scope="$(_api GET "$BASE/admin/realms/$realm/client-scopes" "$token" | json_field '[s["id"] for s in d if s["name"]=="onboarding"][0]')"
  _api DELETE "$BASE/admin/realms/$realm/clients/$client/default-client-scopes/$scope" "$token" >/dev/null
  _api POST "$BASE/admin/realms/$realm/users" "$token" \
    '{"username":"bench-hire","email":"bench-hire@example.com","firstName":"Bench","lastName":"Hire","enabled":true,"emailVerified":true}' >/dev/null
  stock_user="$(user_id "$realm" bench-hire)"
  set_password "$realm" "$stock_user"
  set_password "$realm" "$(user_id "$realm" hiring-manager)"
  role="$(_api GET "$BASE/admin/realms/$realm/roles/onboarding-probationary" "$token")"
  _api POST "$BASE/admin/realms/$realm/users/$stock_user/role-mappings/realm" "$token" "[$role]" >/dev/null
}

# scenario NAME REALM USER: a TokenBench scenario through hr-portal with the benchmark password.
scenario() { printf '%s=%s/hr-portal/hr-portal-demo-secret/%s/%s' "$1" "$2" "$3" "$BENCH_PASSWORD"; }

# console_password_grant REALM: lets the console client take the password grant in a benchmark
# realm, so the audit benchmarks can sign in as the auditor without a browser.
console_password_grant() {
  local client
  client="$(_api GET "$BASE/admin/realms/$1/clients?clientId=onboarding-console" "$token" | json_field 'd[0]["id"]')"
  _api PUT "$BASE/admin/realms/$1/clients/$client" "$token" '{"directAccessGrantsEnabled":true}' >/dev/null
}
