#!/usr/bin/env bash
# Scale on PostgreSQL: the extension's cost for logins and refreshes at SCALE_SMALL_CASES and at
# SCALE_CASES onboarding cases (seeded with SQL, bench/seed-cases.sql) against stock Keycloak on the
# same server and database; audit appends with 8 writers, a chain of SCALE_AUDIT_ENTRIES entries
# (filled through the test-hooks JAR's bulk append, 5,000 per transaction) and its verification;
# case list, dossier and whole-chain export latencies with the server's heap sampled.
# Writes the "scale" section of docs/performance.md. Needs JDK 17, Maven, python3, Debian's
# postgresql (installed and started privately, as scripts/test.sh does); no Docker.
# Environment: SCALE_CASES (100000), SCALE_SMALL_CASES (1000), SCALE_AUDIT_ENTRIES (10000000),
# SCALE_SECONDS (8), SCALE_ROUNDS (4), SCALE_PORT (8480). About 35 minutes with the defaults.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/../scripts/lib/demo-realm.sh"
source "$(dirname "$0")/../scripts/lib/postgres.sh"
source "$(dirname "$0")/lib.sh"

CASES="${SCALE_CASES:-100000}"
SMALL_CASES="${SCALE_SMALL_CASES:-1000}"
AUDIT_ENTRIES="${SCALE_AUDIT_ENTRIES:-10000000}"
SECONDS_PER_RUN="${SCALE_SECONDS:-8}"
ROUNDS="${SCALE_ROUNDS:-4}"
PORT="${SCALE_PORT:-8480}"
WARMUP=10
THREADS=4

ensure_postgres
database="$(fresh_postgres_database bench_scale)"
export BENCH_KC_OPTS="--db=postgres --db-url=jdbc:postgresql://localhost:$PG_PORT/$database --db-username=keycloak --db-password=keycloak-it"
start_bench_server bench-scale "$PORT" "$PROJECT_ROOT"/providers/target/test-hooks/*-test-hooks.jar
trap 'kill "$BENCH_KC_PID" 2>/dev/null || true; wait "$BENCH_KC_PID" 2>/dev/null || true; stop_started_postgres' EXIT

log "realms on PostgreSQL ($database): scale-guarded (demo realm with a hire) and scale-stock"
import_with_hire scale-guarded
import_stock scale-stock
console_password_grant scale-guarded
realm_id="$(_api GET "$BASE/admin/realms/scale-guarded" "$token" | json_field 'd["id"]')"
sponsor="$(user_id scale-guarded hiring-manager)"

# seed FROM TO: users seed-hire-FROM..TO with a case each, straight into the database.
seed() {
  _as_postgres "'$(_pg_bin)/psql' -q -h '$PG_DIR' -p $PG_PORT -U postgres -d $database -v realm=$realm_id \
    -v from=$1 -v to=$2 -v sponsor=$sponsor -f -" <"$PROJECT_ROOT/bench/seed-cases.sql"
}

tokens() {
  java "$PROJECT_ROOT/bench/TokenBench.java" "$BASE" "$SECONDS_PER_RUN" "$WARMUP" "$THREADS" "$ROUNDS" \
    "$(scenario stock-hire scale-stock bench-hire)" \
    "$(scenario guarded-hire scale-guarded bench-hire)" \
    "$(scenario stock-employee scale-stock hiring-manager)" \
    "$(scenario guarded-employee scale-guarded hiring-manager)" >"$BENCH_DIR/tokens-$1.txt"
}

# The realm already has bench-hire's case.
log "seeding $((SMALL_CASES - 1)) cases, then logins and refreshes"
seed 1 $((SMALL_CASES - 1))
tokens small

log "seeding up to $CASES cases"
started=$(date +%s)
seed "$SMALL_CASES" $((CASES - 1))
echo "seed_cases_seconds $(( $(date +%s) - started ))" >"$BENCH_DIR/seed.txt"

log "audit: appends with 8 writers, then filling the chain to $AUDIT_ENTRIES entries and verifying it"
java "$PROJECT_ROOT/bench/AuditBench.java" "$BASE" scale-guarded 10 8 "$AUDIT_ENTRIES" "$DEMO_PASSWORD" >"$BENCH_DIR/audit.txt"

log "logins and refreshes again, at $CASES cases and $AUDIT_ENTRIES audit entries"
tokens large

log "case list, dossier, export"
java "$PROJECT_ROOT/bench/ScaleBench.java" "$BASE" scale-guarded "$DEMO_PASSWORD" bench-hire >"$BENCH_DIR/api.txt"

# Sizing: what the tables take on disk (with indexes), for the admin guide's advice.
_as_postgres "'$(_pg_bin)/psql' -qtA -F ' ' -h '$PG_DIR' -p $PG_PORT -U postgres -d $database -f -" \
  <<<"select 'bytes_' || c, pg_total_relation_size(c::regclass) from unnest(array['og_case', 'og_audit_entry', 'user_entity']) as c;" \
  >"$BENCH_DIR/sizes.txt"

python3 "$PROJECT_ROOT/bench/scale_report.py" "$BENCH_DIR" "$CASES" "$SMALL_CASES" "$KEYCLOAK_SERVER_VERSION" \
  "$(psql --version | awk '{print $3}')" "$SECONDS_PER_RUN" "$ROUNDS" "$THREADS" >"$BENCH_DIR/section.md"
write_section scale "$BENCH_DIR/section.md"
log "wrote the scale section of docs/performance.md"
