# Makes sure a Docker engine answers. On a machine without one (a fresh CI box) it installs
# Debian's docker.io and starts dockerd with the vfs storage driver, which works without
# kernel overlay support inside containers. Source common.sh first.

DOCKERD_PID=""

stop_started_docker_engine() {
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    log "stopping the Docker engine this script started"
    as_root kill "$DOCKERD_PID" 2>/dev/null || true
    # dockerd stops its containerd first; give it that time, then insist.
    for _ in $(seq 1 30); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
    as_root kill -9 "$DOCKERD_PID" 2>/dev/null || true
    wait "$DOCKERD_PID" 2>/dev/null || true
  fi
}

ensure_docker_engine() {
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    log "Docker engine answers"
    return 0
  fi
  command -v dockerd >/dev/null || apt_install docker.io
  mkdir -p "$WORK_DIR"
  log "starting dockerd (vfs); its output goes to $WORK_DIR/dockerd.log"
  # exec, so the PID kept is dockerd's own (or sudo's, which passes the signal on), never a
  # subshell's: stopping a subshell would leave the engine running after the script ends.
  ( if [ "$(id -u)" -eq 0 ]; then exec dockerd --storage-driver=vfs; else exec sudo dockerd --storage-driver=vfs; fi ) \
    >"$WORK_DIR/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { log "Docker engine is up"; return 0; }
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 1
  done
  tail -n 20 "$WORK_DIR/dockerd.log" >&2 || true
  die "the Docker engine did not come up"
}
