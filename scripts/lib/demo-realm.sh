# Imports the demo realm and the partner agency's realm (its identity provider) through the admin
# API, replacing existing ones, and opens the demo hire's onboarding case through the extension's
# own API, as an HR system would.
# Needs curl and python3 (for JSON). Source common.sh first.

DEMO_REALM="onboarding-demo"
PARTNER_REALM="onboarding-partner"
# The partner account (realm-config/onboarding-partner-realm.json) linked to the demo hire.
PARTNER_HIRE_ID="6f1c2f0e-5b7a-4d21-9a43-0c7e2d4b8a11"
DEMO_PASSWORD="demo-password-2026"

_admin_token() {
  curl -sf -d grant_type=password -d client_id=admin-cli --data-urlencode "username=$2" \
    --data-urlencode "password=$3" "$1/realms/master/protocol/openid-connect/token" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

# _api METHOD URL TOKEN [BODY] -> prints the body, fails on HTTP >= 400
_api() {
  local out status
  out="$(mktemp)"
  status="$(curl -s -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' ${4:+--data-binary "$4"} "$2")"
  cat "$out"; rm -f "$out"
  [ "$status" -lt 400 ] || { echo >&2; log "$1 $2 answered HTTP $status"; return 1; }
}

# _import_realm BASE TOKEN NAME FILE: the realm files name http://localhost:8080; another port is put in.
_import_realm() {
  local base="$1" token="$2" name="$3" file="$4" body
  body="$(mktemp)"
  if curl -sf -o /dev/null "$base/realms/$name"; then
    log "deleting the existing realm $name to re-import it"
    _api DELETE "$base/admin/realms/$name" "$token" >/dev/null
  fi
  log "importing $file"
  sed "s#http://localhost:8080/#$base/#g" "$file" >"$body"
  _api POST "$base/admin/realms" "$token" "@$body" >/dev/null || { rm -f "$body"; die "realm import failed"; }
  rm -f "$body"
}

# import_demo_realm BASE ADMIN_USER ADMIN_PASSWORD REALM_CONFIG_DIR
import_demo_realm() {
  local base="$1" token
  token="$(_admin_token "$base" "$2" "$3")" || die "cannot get an admin token"
  _import_realm "$base" "$token" "$PARTNER_REALM" "$4/onboarding-partner-realm.json"
  _import_realm "$base" "$token" "$DEMO_REALM" "$4/onboarding-demo-realm.json"

  log "opening the onboarding case of the demo hire 'new-hire'"
  local created user_id
  created="$(_api POST "$base/admin/realms/$DEMO_REALM/onboarding/cases" "$token" '{
    "username": "new-hire", "email": "new-hire@example.com", "firstName": "Noah", "lastName": "Newhire",
    "sponsor": "hiring-manager",
    "grants": {"realmRoles": ["employee"], "groups": ["/engineering"]},
    "invitation": {"send": false, "actions": []}
  }')" || die "creating the demo hire failed"
  user_id="$(printf '%s' "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["id"])')"
  # The demo skips the invitation email: give the hire a password and a verified address directly.
  _api PUT "$base/admin/realms/$DEMO_REALM/users/$user_id/reset-password" "$token" \
    "{\"type\": \"password\", \"value\": \"$DEMO_PASSWORD\", \"temporary\": false}" >/dev/null
  _api PUT "$base/admin/realms/$DEMO_REALM/users/$user_id" "$token" '{"emailVerified": true}' >/dev/null
  # "Sign in with Partner agency" as noah.newhire reaches this hire (through the onboarding gate).
  _api POST "$base/admin/realms/$DEMO_REALM/users/$user_id/federated-identity/partner" "$token" \
    "{\"identityProvider\": \"partner\", \"userId\": \"$PARTNER_HIRE_ID\", \"userName\": \"noah.newhire\"}" >/dev/null
  # One login through the probation-open HR portal moves the case from INVITED to PROBATION.
  curl -sf -o /dev/null -d grant_type=password -d client_id=hr-portal -d client_secret=hr-portal-demo-secret \
    -d username=new-hire --data-urlencode "password=$DEMO_PASSWORD" \
    "$base/realms/$DEMO_REALM/protocol/openid-connect/token" || die "the demo hire could not log in"
}
