# A throw-away PostgreSQL server for the integration test that proves the extension's schema
# works on PostgreSQL. Uses Debian's postgresql package and a private cluster under .work/, so
# it never touches a system database. Source common.sh first.

PG_PORT="${ONBOARDING_PG_PORT:-55432}"
# Run as root, the server runs as the postgres user, who may not traverse the checkout's path
# (anything under /root, a 0700 directory): its cluster then lives under /var/tmp instead.
if [ "$(id -u)" -eq 0 ]; then
  PG_DIR="${ONBOARDING_PG_DIR:-/var/tmp/onboarding-guard-postgres}"
else
  PG_DIR="${ONBOARDING_PG_DIR:-$WORK_DIR/postgres}"
fi
PG_STARTED=""

_pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] || die "PostgreSQL binaries not found"
  printf '%s\n' "$bin"
}

_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

ensure_postgres() {
  apt_install postgresql
  local bin
  bin="$(_pg_bin)"
  mkdir -p "$PG_DIR"
  chmod 700 "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PG_DIR"; fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    log "initialising a PostgreSQL cluster in $PG_DIR"
    _as_postgres "'$bin/initdb' -D '$PG_DIR/data' -U postgres --auth-local=trust --auth-host=scram-sha-256 >'$PG_DIR/initdb.log' 2>&1" \
      || die "initdb failed; see $PG_DIR/initdb.log"
    # The Keycloak container connects from the Docker bridge network.
    printf 'host all all 172.16.0.0/12 scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n' >>"$PG_DIR/data/pg_hba.conf"
  fi
  if ! _as_postgres "'$bin/pg_ctl' -D '$PG_DIR/data' status" >/dev/null 2>&1; then
    log "starting PostgreSQL on port $PG_PORT (log: $PG_DIR/server.log)"
    _as_postgres "'$bin/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -o \"-p $PG_PORT -c listen_addresses='*' -k '$PG_DIR'\" start" >/dev/null \
      || die "PostgreSQL did not start; see $PG_DIR/server.log"
    PG_STARTED=yes
  fi
  _as_postgres "'$bin/psql' -h '$PG_DIR' -p $PG_PORT -U postgres -tAc \"select 1 from pg_roles where rolname='keycloak'\"" | grep -q 1 \
    || _as_postgres "'$bin/psql' -h '$PG_DIR' -p $PG_PORT -U postgres -qc \"create role keycloak login password 'keycloak-it'\""
}

# Prints the name of a new, empty database for one test run; $1 tells databases of one run apart.
fresh_postgres_database() {
  local bin db
  bin="$(_pg_bin)"
  db="keycloak_it_$(date +%s)${1:+_$1}"
  _as_postgres "'$bin/psql' -h '$PG_DIR' -p $PG_PORT -U postgres -qc 'create database $db owner keycloak'" >/dev/null
  printf '%s\n' "$db"
}

stop_started_postgres() {
  if [ -n "$PG_STARTED" ]; then
    log "stopping PostgreSQL"
    _as_postgres "'$(_pg_bin)/pg_ctl' -D '$PG_DIR/data' -m fast stop" >/dev/null 2>&1 || true
  fi
}
