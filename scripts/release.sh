#!/usr/bin/env bash
# Builds the release artifacts into dist/: the provider JAR, its CycloneDX SBOM and SHA256SUMS.
# The JAR is built twice from clean and must come out byte-identical (reproducible build: fixed
# entry times from project.build.outputTimestamp); a difference stops the release.
# Run the test command first; this script does not run tests.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

build() {
  (cd "$PROJECT_ROOT" && mvn -B -q clean package -DskipTests) >&2 || die "build failed"
  sha256sum "$(provider_jar)" | cut -d' ' -f1
}

log "building the provider JAR (first of two builds)"
first="$(build)"
log "building it again to check the build is reproducible"
second="$(build)"
[ "$first" = "$second" ] || die "two builds of the same sources differ ($first vs $second): the build is not reproducible"

jar="$(provider_jar)"
sbom="${jar%.jar}-sbom.json"
[ -f "$sbom" ] || die "no SBOM next to $jar"
dist="$PROJECT_ROOT/dist"
rm -rf "$dist" && mkdir -p "$dist"
cp "$jar" "$sbom" "$PROJECT_ROOT/LICENSE" "$dist/"
(cd "$dist" && sha256sum "$(basename "$jar")" "$(basename "$sbom")" > SHA256SUMS)
log "release artifacts in $dist (reproducible: $first)"
cat "$dist/SHA256SUMS"
