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
log "guarded realm: the demo realm as shipped, with a hire on probation"
import_with_hire bench-guarded

log "quiet realm: the demo realm as shipped, hire included, but without the onboarding event listener"
import_with_hire bench-quiet
_api PUT "$BASE/admin/realms/bench-quiet" "$token" '{"eventsListeners":["jboss-logging"]}' >/dev/null

log "open realm: the guarded realm without the client policy (to tell its cost from the rest)"
import_with_hire bench-open
_api PUT "$BASE/admin/realms/bench-open/client-policies/policies" "$token" '{"policies":[]}' >/dev/null

log "stock realm: the same realm with Keycloak's own flows, no token filter, no client policy, no onboarding listener"
import_stock bench-stock

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
