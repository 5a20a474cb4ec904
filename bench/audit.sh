#!/usr/bin/env bash
# Audit chain benchmark: append throughput with concurrent writers, and the time to verify a chain
# of AUDIT_CHAIN_SIZE entries through the auditor API. Writes its section of docs/performance.md.
# Loads the test-hooks JAR (synthetic appends) into the benchmark server only; never deploy it.
# Environment: AUDIT_SECONDS (10), AUDIT_WRITERS (8), AUDIT_CHAIN_SIZE (1000000), AUDIT_PORT (8280),
# AUDIT_DATABASE (h2, or postgres: a private PostgreSQL server on this machine, as scripts/test.sh starts).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/../scripts/lib/demo-realm.sh"
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN="${AUDIT_SECONDS:-10}"
WRITERS="${AUDIT_WRITERS:-8}"
CHAIN_SIZE="${AUDIT_CHAIN_SIZE:-1000000}"
PORT="${AUDIT_PORT:-8280}"
DATABASE="${AUDIT_DATABASE:-h2}"

case "$DATABASE" in
  h2) SECTION=audit; DATABASE_LABEL="H2" ;;
  postgres)
    source "$(dirname "$0")/../scripts/lib/postgres.sh"
    ensure_postgres
    database="$(fresh_postgres_database bench_audit)"
    export BENCH_KC_OPTS="--db=postgres --db-url=jdbc:postgresql://localhost:$PG_PORT/$database --db-username=keycloak --db-password=keycloak-it"
    SECTION=audit-postgres
    DATABASE_LABEL="PostgreSQL $(psql --version | awk '{print $3}') on the same machine, default settings (fsync and synchronous commit on)"
    ;;
  *) die "AUDIT_DATABASE is h2 or postgres" ;;
esac

start_bench_server bench-audit "$PORT" "$PROJECT_ROOT"/providers/target/test-hooks/*-test-hooks.jar
# The server first, then the database it used (a PostgreSQL this script started).
trap 'kill "$BENCH_KC_PID" 2>/dev/null || true; wait "$BENCH_KC_PID" 2>/dev/null || true; [ "$DATABASE" = h2 ] || stop_started_postgres' EXIT
import_as bench-audit
console_password_grant bench-audit
log "measuring appends (${SECONDS_PER_RUN}s, $WRITERS writers), then verifying a chain of $CHAIN_SIZE entries"
java "$PROJECT_ROOT/bench/AuditBench.java" "$BASE" bench-audit "$SECONDS_PER_RUN" "$WRITERS" "$CHAIN_SIZE" "$DEMO_PASSWORD" \
  | tee "$BENCH_DIR/results.txt"

python3 - "$BENCH_DIR/results.txt" "$SECONDS_PER_RUN" "$WRITERS" "$CHAIN_SIZE" "$KEYCLOAK_SERVER_VERSION" "$DATABASE_LABEL" "$DATABASE" \
  >"$BENCH_DIR/section.md" <<'PY'
import datetime, os, platform, sys
results, seconds, writers, size, server, database, database_id = sys.argv[1:8]
r = dict(line.split() for line in open(results) if line.strip())
title = "Audit chain" if database_id == "h2" else "Audit chain on PostgreSQL"
command = "bench/audit.sh" if database_id == "h2" else "AUDIT_DATABASE=postgres bench/audit.sh"
print(f"""## {title}

Appending takes the realm's chain lock (one row, `SELECT ... FOR UPDATE`) in the committing
transaction, so appends to one realm are serialized by the database; entries of one transaction
share one lock. Measured on one Keycloak {server} server (dev mode, {database}), {writers} concurrent
writers, {seconds} s per measurement after a 3 s warm-up, each request one transaction:

| what | result |
| --- | --- |
| appends/s, 1 entry per transaction | **{float(r['append_per_second_batch_1']):.0f}** |
| appends/s, 50 entries per transaction | **{float(r['append_per_second_batch_50']):.0f}** |
| verify a chain of {int(r['verify_entries']):,} entries (auditor API, server time) | **{int(r['verify_server_millis']) / 1000:.1f} s** (valid: {'yes' if r['verify_valid'] == '1' else 'NO'}) |
| filling the chain to that size (5,000 entries per transaction, 4 writers) | {float(r['fill_seconds']):.0f} s |

Verification walks the chain in pages of 1,000 entries and forgets each page, so its memory does
not grow with the chain. Machine: {os.cpu_count()} CPUs, {platform.machine()}, {datetime.date.today().isoformat()}.

Command (no Docker needed):

```bash
{command}    # defaults: AUDIT_SECONDS=10 AUDIT_WRITERS=8 AUDIT_CHAIN_SIZE=1000000 AUDIT_PORT=8280
```""")
PY
write_section "$SECTION" "$BENCH_DIR/section.md"
log "wrote the $SECTION section of docs/performance.md"
