# A throw-away LDAP directory (Debian's OpenLDAP slapd) for the integration tests of user
# federation: a private instance with its own configuration and database under .work/, on its own
# port, never the system's slapd. Tests add their own entries below the base DN. Source common.sh first.

LDAP_PORT="${ONBOARDING_LDAP_PORT:-55389}"
LDAP_DIR="${ONBOARDING_LDAP_DIR:-$WORK_DIR/ldap}"
LDAP_BASE_DN="dc=onboarding,dc=test"
LDAP_ADMIN_DN="cn=admin,$LDAP_BASE_DN"
LDAP_ADMIN_PASSWORD="ldap-it-secret"
LDAP_STARTED=""

ensure_ldap() {
  apt_install slapd ldap-utils
  local slapd
  slapd="$(command -v slapd || echo /usr/sbin/slapd)"
  rm -rf "$LDAP_DIR"
  mkdir -p "$LDAP_DIR/db"
  cat >"$LDAP_DIR/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile $LDAP_DIR/slapd.pid
moduleload back_mdb
database mdb
maxsize 104857600
suffix "$LDAP_BASE_DN"
rootdn "$LDAP_ADMIN_DN"
rootpw $LDAP_ADMIN_PASSWORD
directory $LDAP_DIR/db
index objectClass eq
index uid eq
EOF
  log "starting slapd on port $LDAP_PORT (log: $LDAP_DIR/slapd.log)"
  # Bound to every address: the Keycloak container reaches it as host.docker.internal.
  # In the foreground (-d 0) under this script, so it is stopped with it.
  "$slapd" -f "$LDAP_DIR/slapd.conf" -h "ldap://0.0.0.0:$LDAP_PORT/" -d 0 >"$LDAP_DIR/slapd.log" 2>&1 &
  LDAP_STARTED=$!
  for _ in $(seq 1 50); do
    ldapsearch -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PASSWORD" \
      -b "" -s base >/dev/null 2>&1 && break
    sleep 0.2
  done
  ldapadd -x -H "ldap://127.0.0.1:$LDAP_PORT" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PASSWORD" >/dev/null <<EOF \
    || die "slapd did not start; see $LDAP_DIR/slapd.log"
dn: $LDAP_BASE_DN
objectClass: dcObject
objectClass: organization
o: Onboarding Guard tests
dc: onboarding
EOF
}

stop_started_ldap() {
  if [ -n "$LDAP_STARTED" ]; then
    log "stopping slapd"
    kill "$LDAP_STARTED" 2>/dev/null || true
    wait "$LDAP_STARTED" 2>/dev/null || true
  fi
}
