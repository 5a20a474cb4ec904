# promtool, from Debian's prometheus package, to check the shipped alert rules. Only the package's
# files are unpacked under .work/ (no install, so no Prometheus service starts). Source common.sh first.

PROMETHEUS_DIR="$WORK_DIR/prometheus"
PROMTOOL="$PROMETHEUS_DIR/usr/bin/promtool"

ensure_promtool() {
  [ -x "$PROMTOOL" ] && return 0
  mkdir -p "$PROMETHEUS_DIR"
  log "fetching Debian's prometheus package for promtool"
  if ! (cd "$PROMETHEUS_DIR" && apt-get download prometheus >/dev/null 2>&1); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    (cd "$PROMETHEUS_DIR" && apt-get download prometheus >/dev/null 2>&1) || die "apt-get download prometheus failed"
  fi
  dpkg-deb -x "$(ls "$PROMETHEUS_DIR"/prometheus_*.deb | head -n 1)" "$PROMETHEUS_DIR"
  [ -x "$PROMTOOL" ] || die "no promtool in Debian's prometheus package"
}
