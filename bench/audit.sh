#!/usr/bin/env bash
# Audit chain benchmark: append throughput with concurrent writers, and the time to verify a chain
# of AUDIT_CHAIN_SIZE entries through the auditor API. Writes its section of docs/performance.md.
# Loads the test-hooks JAR (synthetic appends) into the benchmark server only; never deploy it.
# Environment: AUDIT_SECONDS (10), AUDIT_WRITERS (8), AUDIT_CHAIN_SIZE (1000000), AUDIT_PORT (8280).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/../scripts/lib/demo-realm.sh"
source "$(dirname "$0")/lib.sh"

SECONDS_PER_RUN="${AUDIT_SECONDS:-10}"
WRITERS="${AUDIT_WRITERS:-8}"
CHAIN_SIZE="${AUDIT_CHAIN_SIZE:-1000000}"
PORT="${AUDIT_PORT:-8280}"

start_bench_server bench-audit "$PORT" "$PROJECT_ROOT"/providers/target/test-hooks/*-test-hooks.jar
import_as bench-audit
log "measuring appends (${SECONDS_PER_RUN}s, $WRITERS writers), then verifying a chain of $CHAIN_SIZE entries"
java "$PROJECT_ROOT/bench/AuditBench.java" "$BASE" bench-audit "$SECONDS_PER_RUN" "$WRITERS" "$CHAIN_SIZE" "$DEMO_PASSWORD" \
  | tee "$BENCH_DIR/results.txt"

python3 - "$BENCH_DIR/results.txt" "$SECONDS_PER_RUN" "$WRITERS" "$CHAIN_SIZE" "$KEYCLOAK_SERVER_VERSION" \
  >"$BENCH_DIR/section.md" <<'PY'
import datetime, os, platform, sys
results, seconds, writers, size, server = sys.argv[1:6]
r = dict(line.split() for line in open(results) if line.strip())
print(f"""## Audit chain

Appending takes the realm's chain lock (one row, `SELECT ... FOR UPDATE`) in the committing
transaction, so appends to one realm are serialized by the database; entries of one transaction
share one lock. Measured on one Keycloak {server} server (dev mode, H2), {writers} concurrent
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
bench/audit.sh    # defaults: AUDIT_SECONDS=10 AUDIT_WRITERS=8 AUDIT_CHAIN_SIZE=1000000 AUDIT_PORT=8280
```""")
PY
write_section audit "$BENCH_DIR/section.md"
log "wrote the audit section of docs/performance.md"
