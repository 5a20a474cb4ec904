#!/usr/bin/env bash
# Where the extension's time goes on one workload: runs the benchmark load against the guarded
# demo realm with Java Flight Recorder on, then prints the share of CPU samples spent in the
# extension's code and in the Keycloak code it triggers, by entry point and by hottest method.
# Environment: PROFILE_WORKLOAD (refresh|login, default refresh), PROFILE_USER (bench-hire|hiring-manager),
# PROFILE_SECONDS (60), PROFILE_THREADS (4), PROFILE_PORT (8380). Needs JDK 17 (jfr), python3; no Docker.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/../scripts/lib/demo-realm.sh"
source "$(dirname "$0")/lib.sh"

WORKLOAD="${PROFILE_WORKLOAD:-refresh}"
USER_NAME="${PROFILE_USER:-bench-hire}"
SECONDS_PER_RUN="${PROFILE_SECONDS:-60}"
THREADS="${PROFILE_THREADS:-4}"
PORT="${PROFILE_PORT:-8380}"
recording="$WORK_DIR/bench-profile/recording.jfr"
mkdir -p "$WORK_DIR/bench-profile" && rm -f "$recording"
start_bench_server bench-profile "$PORT"
import_with_hire bench-profile

guarded="$(scenario guarded bench-profile "$USER_NAME")"
measure() { java -Dbench.workloads="$WORKLOAD" "$PROJECT_ROOT/bench/TokenBench.java" "$BASE" "$1" "$2" "$THREADS" 1 "$guarded"; }
log "warm-up (JIT, caches): 40 s of $WORKLOAD for $USER_NAME, not recorded"
measure 20 20 >/dev/null
# kc.sh execs the JVM, so the server's PID is the JVM's.
log "recording $SECONDS_PER_RUN s of $WORKLOAD for $USER_NAME with $THREADS threads"
jcmd "$BENCH_KC_PID" JFR.start name=bench settings=profile >/dev/null
measure "$SECONDS_PER_RUN" 1 >"$WORK_DIR/bench-profile/rate.txt"
jcmd "$BENCH_KC_PID" JFR.stop name=bench filename="$recording" >/dev/null
cat "$WORK_DIR/bench-profile/rate.txt"
jfr print --stack-depth 512 --events jdk.ExecutionSample "$recording" | python3 "$PROJECT_ROOT/bench/profile_report.py"
