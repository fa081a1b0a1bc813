#!/usr/bin/env bash
# build-images.sh — packages the modules, stages their jars into build contexts and builds the images.
#
#   deploy/build-images.sh [--base IMAGE] [--tag TAG] [--online]
#
#   --base IMAGE  the JRE base image (default: eclipse-temurin:17-jre; offline: vheap/jre:17 from
#                 deploy/offline-images.sh). Also VHEAP_BASE.
#   --tag TAG     image tag (default: latest). Also VHEAP_TAG.
#   --online      let Maven download (default: ./mvnw -o, everything must already be in ~/.m2)
# Builds vheap/heap-server:TAG, vheap/gateway:TAG and vheap/device:TAG (deploy/*/Dockerfile).
# Contexts are staged under deploy/.cache/context/ (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${VHEAP_BASE:-eclipse-temurin:17-jre}"
tag="${VHEAP_TAG:-latest}"
offline=(-o)
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --online) offline=(); shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images: unknown argument '$1' (see $0 --help)" >&2; exit 2 ;;
  esac
done
step="starting"
fail() { echo "build-images: failed while $step${1:+: $1}" >&2; trap - EXIT; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || echo "build-images: failed while $step (exit $rc; command: $BASH_COMMAND)" >&2' EXIT
log() { echo "build-images: $*" >&2; }

step="checking the Docker engine"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (start one, or run deploy/offline-images.sh as root)"
# Debian's docker.io has no buildx plugin; the Dockerfiles only COPY, so the classic builder is enough.
docker buildx version >/dev/null 2>&1 || export DOCKER_BUILDKIT=0

# module_jar MODULE -> the module's packaged jar (nothing when there is none)
module_jar() {
  ls "$root/$1"/target/vheap-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1 || true
}

step="packaging heap-server, gateway-proxy and device-client"
cache="$root/deploy/.cache"
mkdir -p "$cache"
t0=$SECONDS
# package only when a module's jar is missing or older than a source of the build (not classpath.txt, as ./vheap
# does: a `mvn test` rewrites that without packaging)
stale() {
  local m stamp
  for m in heap-server gateway-proxy device-client; do
    stamp="$(module_jar "$m")"
    [ -n "$stamp" ] || return 0
    [ -z "$(find "$root/pom.xml" "$root/proto" "$root/heap-format" "$root/vheap-api" "$root/$m" -type f -newer "$stamp" \
            -not -path '*/target/*' -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}
if ! stale; then
  log "modules up to date; not packaging"
elif ! (cd "$root" && ./mvnw -q "${offline[@]}" -B -pl heap-server,gateway-proxy,device-client -am package -DskipTests) \
      >"$cache/package.log" 2>&1; then
  fail "maven package failed; last lines of $cache/package.log: $(tail -n 5 "$cache/package.log" | tr '\n' ' ')"
else
  log "packaged in $((SECONDS - t0))s"
fi

# stage MODULE CONTEXT: lib/ = the jars of MODULE/target/classpath.txt, app/ = the module's jar
stage() {
  local module="$1" ctx="$2" entry jar entries
  step="staging $module"
  rm -rf "$ctx"; mkdir -p "$ctx/lib" "$ctx/app"
  IFS=: read -r -a entries <"$root/$module/target/classpath.txt" || true   # no newline at its end
  for entry in "${entries[@]}"; do
    [ -n "$entry" ] || continue
    case "$entry" in
      *.jar) cp -l "$entry" "$ctx/lib/" 2>/dev/null || cp "$entry" "$ctx/lib/" ;;
      *) fail "classpath entry is not a jar: $entry" ;;
    esac
  done
  jar="$(module_jar "$module")"
  [ -n "$jar" ] || fail "no jar in $module/target"
  cp "$jar" "$ctx/app/"
}

build() {
  local name="$1" dockerfile="$2" ctx="$3"
  step="building $name"
  t0=$SECONDS
  if ! docker build -q --build-arg BASE="$base" -f "$dockerfile" -t "$name" "$ctx" >"$cache/build-${name//\//_}.log" 2>&1; then
    fail "docker build failed; last lines of $cache/build-${name//\//_}.log: $(tail -n 5 "$cache/build-${name//\//_}.log" | tr '\n' ' ')"
  fi
  log "$name built from $base in $((SECONDS - t0))s"
}

ctx="$cache/context/heap-server"
stage heap-server "$ctx"
mkdir -p "$ctx/data"
build "vheap/heap-server:$tag" "$root/deploy/heap-server/Dockerfile" "$ctx"

ctx="$cache/context/gateway"
stage gateway-proxy "$ctx"
build "vheap/gateway:$tag" "$root/deploy/gateway/Dockerfile" "$ctx"

ctx="$cache/context/device"
stage device-client "$ctx"
step="compiling the samples"
mkdir -p "$ctx/samples"
javac --release 17 -cp "$root/vheap-api/target/classes" -d "$ctx/samples" "$root"/samples/*.java >"$cache/javac.log" 2>&1 \
  || fail "javac failed; see $cache/javac.log"
# apps that use the app API (SensorLogger) run with it on their class path: /opt/vheap/samples:/opt/vheap/api/*
mkdir -p "$ctx/api"
cp "$root"/vheap-api/target/vheap-api-*.jar "$ctx/api/"
build "vheap/device:$tag" "$root/deploy/device/Dockerfile" "$ctx"
step="done"
