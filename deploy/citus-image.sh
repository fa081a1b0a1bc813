#!/usr/bin/env bash
# citus-image.sh — a local Citus image, vheap/citus:13.2.2, for deploy/compose.citus.yaml where the public
# citusdata/citus image cannot be pulled (this repository's CI: no image registry).
#
#   deploy/citus-image.sh CITUS_DIR [--rebuild]
#
# CITUS_DIR holds a Citus source tarball and the build.sh that builds it into Debian's PostgreSQL 15 (in CI:
# ../shared/citus). The image is vheap/postgres:15 (deploy/offline-images.sh) with Citus added the way the public
# image adds it: citus in shared_preload_libraries, CREATE EXTENSION citus in POSTGRES_DB on the first start.
# Citus is compiled by CITUS_DIR/build.sh inside a throwaway container of vheap/postgres:15, against the headers of
# the image's own PostgreSQL release (its build dependencies are installed first, postgresql-server-dev-15 pinned to
# the image's postgresql-15, so build.sh installs nothing newer); only the files it installs are kept: no compiler in
# the image. Skips the build when the image was made from the same tarball, build.sh and base image.
# Needs the Debian mirror (the build's packages) once per base image; as root, with a Docker engine.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image=vheap/citus:13.2.2
base=vheap/postgres:15
usage="usage: $0 CITUS_DIR [--rebuild]"
[ $# -ge 1 ] || { echo "citus-image: no CITUS_DIR ($usage)" >&2; exit 2; }
case "$1" in -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
src="$(cd "$1" 2>/dev/null && pwd)" || { echo "citus-image: no directory $1 ($usage)" >&2; exit 2; }
rebuild=false
case "${2:-}" in
  --rebuild) rebuild=true ;;
  "") ;;
  *) echo "citus-image: unknown argument '$2' ($usage)" >&2; exit 2 ;;
esac
shopt -s nullglob
tgzs=("$src"/citus-*.tgz)
tgz="${tgzs[0]:-}"
[ -f "$src/build.sh" ] && [ -n "$tgz" ] || { echo "citus-image: $src has no build.sh and citus-*.tgz" >&2; exit 2; }

step="starting"
work=""
cleanup() { [ -z "$work" ] || rm -rf "$work"; }
trap 'rc=$?; cleanup; [ $rc -eq 0 ] || echo "citus-image: failed while $step (exit $rc)" >&2' EXIT
log() { echo "citus-image: $*" >&2; }

step="checking the Docker engine and $base"
docker info >/dev/null 2>&1 || { log "no Docker engine answers (run deploy/offline-images.sh as root)"; exit 1; }
docker image inspect "$base" >/dev/null 2>&1 || { log "no image $base (run deploy/offline-images.sh as root)"; exit 1; }

# the revision: what the image is made of; an image of this revision is current
rev="$( { sha256sum "$tgz" "$src/build.sh" "$here/citus-image.sh" "$here/citus/001-create-citus-extension.sql" "$here/citus/Dockerfile" | cut -c1-64
          docker image inspect -f '{{.Id}}' "$base"; } | sha256sum | cut -c1-16)"
if ! $rebuild && docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$image" 2>/dev/null \
     | grep -qx "VHEAP_IMAGE_REV=$rev"; then
  log "$image is current; skipped (--rebuild to rebuild)"
  exit 0
fi

work="$(mktemp -d)"
mkdir -p "$work/ctx/lib" "$work/ctx/extension"
step="building Citus in a container of $base (build.sh; a few minutes the first time)"
t0=$SECONDS
# build.sh installs the compiler and headers into the throwaway container, then Citus into its PostgreSQL; the
# files Citus installed are copied out (the .so files, the decoders, the extension's control and SQL files)
if ! docker run --rm --network host --user root --entrypoint bash \
      -v "$src:/citus:ro" -v "$work/ctx:/out" "$base" -c '
        set -e
        v="$(dpkg-query -W -f="\${Version}" postgresql-15)"
        apt-get update -qq
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "postgresql-server-dev-15=$v" \
              build-essential libssl-dev libkrb5-dev libicu-dev liblz4-dev libzstd-dev >/dev/null; then
          echo "the mirror has no postgresql-server-dev-15 $v for the image'"'"'s PostgreSQL: rebuild the base image" \
               "(deploy/offline-images.sh --rebuild, after removing its cached rootfs)" >&2
          exit 1
        fi
        sh /citus/build.sh
        cp -a /usr/lib/postgresql/15/lib/citus*.so /out/lib/
        cp -a /usr/lib/postgresql/15/lib/citus_decoders /out/lib/
        cp -a /usr/share/postgresql/15/extension/citus* /out/extension/
        cp /usr/share/postgresql/15/postgresql.conf.sample /out/
        chown -R '"$(id -u):$(id -g)"' /out' >"$work/build.log" 2>&1; then
  log "the build failed; last lines: $(tail -n 5 "$work/build.log" | tr '\n' ' ')"
  exit 1
fi
log "Citus built in $((SECONDS - t0))s ($(ls "$work/ctx/lib" | tr '\n' ' '))"

step="building $image"
# as the public image does: the library preloaded in every cluster the entrypoint initialises
printf "\nshared_preload_libraries = 'citus'\t# added by deploy/citus-image.sh\n" >>"$work/ctx/postgresql.conf.sample"
cp "$here/citus/001-create-citus-extension.sql" "$work/ctx/"
docker build -q --network host --build-arg BASE="$base" --build-arg REV="$rev" -f "$here/citus/Dockerfile" -t "$image" \
  "$work/ctx" >"$work/image.log" 2>&1 || { log "docker build failed: $(tail -n 5 "$work/image.log" | tr '\n' ' ')"; exit 1; }
log "$image built ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%d MB", $1 / 1000000}'))"
