# Makes sure a Docker engine answers. On a machine without one (a fresh CI box) it installs
# Debian's docker.io and starts dockerd with the vfs storage driver, which works without
# kernel overlay support inside containers. Source common.sh first.

DOCKERD_PID=""
DOCKER_SOCKET=/var/run/docker.sock

# kill -0 cannot see a process of another user (sudo's dockerd when run as a normal user).
_alive() { [ -e "/proc/$1" ]; }

stop_started_docker_engine() {
  if [ -n "$DOCKERD_PID" ] && _alive "$DOCKERD_PID"; then
    log "stopping the Docker engine this script started"
    as_root kill "$DOCKERD_PID" 2>/dev/null || true
    # dockerd stops its containerd first; give it that time, then insist.
    for _ in $(seq 1 30); do _alive "$DOCKERD_PID" || break; sleep 1; done
    as_root kill -9 "$DOCKERD_PID" 2>/dev/null || true
    wait "$DOCKERD_PID" 2>/dev/null || true
  fi
}

ensure_docker_engine() {
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    log "Docker engine answers"
    return 0
  fi
  if [ -S "$DOCKER_SOCKET" ] && [ ! -w "$DOCKER_SOCKET" ]; then
    # An engine runs but this user may not talk to it; a second engine would clash with it.
    die "a Docker engine runs but $(id -un) cannot use $DOCKER_SOCKET: add $(id -un) to its group" \
      "($(stat -c %G "$DOCKER_SOCKET")) and log in again, or run as root"
  fi
  command -v dockerd >/dev/null || apt_install docker.io
  mkdir -p "$WORK_DIR"
  # Ask for the sudo password (if any) here, in the foreground, not from the background job.
  [ "$(id -u)" -eq 0 ] || sudo -v || die "starting the Docker engine needs root (sudo)"
  log "starting dockerd (vfs); its output goes to $WORK_DIR/dockerd.log"
  # exec, so the PID kept is dockerd's own (or sudo's, which passes the signal on), never a
  # subshell's: stopping a subshell would leave the engine running after the script ends.
  # Started for a normal user, the engine's socket belongs to that user's group so that the
  # Docker CLI and Testcontainers can use it without root.
  ( if [ "$(id -u)" -eq 0 ]; then exec dockerd --storage-driver=vfs
    else exec sudo -n dockerd --storage-driver=vfs --group "$(id -gn)"; fi ) \
    >"$WORK_DIR/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { log "Docker engine is up"; return 0; }
    _alive "$DOCKERD_PID" || break
    sleep 1
  done
  tail -n 20 "$WORK_DIR/dockerd.log" >&2 || true
  die "the Docker engine did not come up"
}
