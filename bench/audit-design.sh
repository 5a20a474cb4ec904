#!/usr/bin/env bash
# The audit trail's append limit on PostgreSQL, and the design that lifts it, measured in SQL on a
# scratch database with pgbench (bench/audit-design/): today's shape (the realm's chain head locked
# through the commit, one entry per transaction) against the design's (entries inserted unsealed,
# numbered by a sequence, sealed in batches by one sealer), with the same number of writers.
# Writes the "audit-design" section of docs/performance.md. Needs Debian's postgresql (installed
# and started privately, as scripts/test.sh does); no Keycloak, no Docker. About 2 minutes.
# Environment: DESIGN_SECONDS (20), DESIGN_WRITERS (8).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/../scripts/lib/postgres.sh"
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN="${DESIGN_SECONDS:-20}"
WRITERS="${DESIGN_WRITERS:-8}"
SQL_DIR="$PROJECT_ROOT/bench/audit-design"
OUT="$WORK_DIR/bench-audit-design"
mkdir -p "$OUT"

ensure_postgres
trap stop_started_postgres EXIT
database="$(fresh_postgres_database audit_design)"
bin="$(_pg_bin)"
# The postgres user may not read the checkout (a 0700 home): pgbench and psql read a copy.
scratch="$(mktemp -d /tmp/audit-design.XXXXXX)"
trap 'rm -rf "$scratch"; stop_started_postgres' EXIT
cp "$SQL_DIR"/*.sql "$scratch/" && chmod 755 "$scratch" && chmod 644 "$scratch"/*.sql

psql_run() { _as_postgres "'$bin/psql' -q -h '$PG_DIR' -p $PG_PORT -U postgres -d $database -v ON_ERROR_STOP=1 $*"; }
query() { psql_run "-tAc \"$1\""; }
# pgbench_run SCRIPT CLIENTS SECONDS: prints transactions per second, connection time excluded.
pgbench_run() {
  _as_postgres "'$bin/pgbench' -n -h '$PG_DIR' -p $PG_PORT -U postgres -f '$scratch/$1' -c $2 -j $(( $2 < 2 ? $2 : 2 )) -T $3 $database" \
    | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}

psql_run "-f '$scratch/schema.sql'" >/dev/null
log "today's shape: $WRITERS writers, head locked through the commit, ${SECONDS_PER_RUN}s"
locked_tps="$(pgbench_run locked-append.sql "$WRITERS" "$SECONDS_PER_RUN")"
locked_rows="$(query "select count(*) from audit_entry")"

log "the design: $WRITERS writers inserting unsealed while one sealer seals, ${SECONDS_PER_RUN}s"
query "truncate audit_entry; update audit_head set last_seq = 0, last_hash = repeat('0', 64)" >/dev/null
pgbench_run seal.sql 1 "$((SECONDS_PER_RUN + 2))" >/dev/null &
sealer=$!
unsealed_tps="$(pgbench_run unsealed-append.sql "$WRITERS" "$SECONDS_PER_RUN")"
backlog_at_end="$(query "select count(*) from audit_unsealed")"
wait "$sealer"
left="$(query "select count(*) from audit_unsealed")"
query "select seal('realm-1', 1000000)" >/dev/null
sealed="$(query "select count(*) from audit_entry")"
gap_free="$(query "select count(*) = max(seq) and min(seq) = 1 from audit_entry")"
# The chain as a verifier walks it: every entry names its predecessor's hash.
chained="$(query "select bool_and(e.prev_hash = p.hash) from audit_entry e join audit_entry p on p.seq = e.seq - 1")"

log "sealing rate with a backlog: 200,000 entries waiting, sealed in batches of 5,000"
query "insert into audit_unsealed select gen_random_uuid()::text, 'realm-1', nextval('audit_unsealed_order'), 0, 'bench', 'test.synthetic', repeat('x', 200) from generate_series(1, 200000)" >/dev/null
started="$(date +%s%N)"
while [ "$(query "select seal('realm-1', 5000)")" -gt 0 ]; do :; done
backlog_seconds="$(python3 -c "print(round(($(date +%s%N) - $started) / 1e9, 1))")"

pg_version="$(query "show server_version" | cut -d' ' -f1)"
python3 - "$locked_tps" "$locked_rows" "$unsealed_tps" "$backlog_at_end" "$left" "$sealed" "$gap_free" "$chained" \
  "$backlog_seconds" "$WRITERS" "$SECONDS_PER_RUN" "$pg_version" >"$OUT/section.md" <<'PY'
import sys, datetime, platform, os
(locked, locked_rows, unsealed, backlog_end, left, sealed, gap_free, chained, backlog_s, writers, secs,
 pg) = sys.argv[1:13]
yes = lambda v: "yes" if v == "t" else "NO"
print(f"""Measured in SQL with pgbench on PostgreSQL {pg} (default settings, this machine), {writers} writers
for {secs} s each, one entry per transaction, 200 characters of details per entry:

| shape | appends/s | notes |
| --- | --- | --- |
| today's shape in one statement: head locked through the commit | **{float(locked):,.0f}** | {int(locked_rows):,} entries chained |
| design: unsealed insert numbered by a sequence | **{float(unsealed):,.0f}** | one sealer running alongside; {int(backlog_end):,} entries waiting when the writers stopped, {int(left):,} when the sealer stopped 2 s later |
| design: the sealer alone, 200,000 entries waiting | **{200000 / float(backlog_s):,.0f}** | batches of 5,000, {backlog_s} s |

After the run all {int(sealed):,} entries were sealed; numbers gap-free: {yes(gap_free)}; every entry
names its predecessor's hash: {yes(chained)}. The SQL model (`bench/audit-design/`) is an upper
bound for today's shape: the server adds a round trip per statement to the time the head is held.
Machine: {os.cpu_count()} CPUs, {platform.machine()}, {datetime.date.today().isoformat()}.

Command (no Docker, no Keycloak):

```bash
bench/audit-design.sh    # defaults: DESIGN_SECONDS={secs} DESIGN_WRITERS={writers}
```""")
PY
write_section audit-design "$OUT/section.md"
log "wrote the audit-design section of docs/performance.md"
