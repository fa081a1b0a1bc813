#!/usr/bin/env bash
# offline-images.sh — base images built from Debian packages, for machines where no image registry is reachable.
#
#   deploy/offline-images.sh [--rebuild]   (--rebuild re-imports existing images; the cached rootfs tarballs
#                                          are reused: delete $VHEAP_CACHE/rootfs to debootstrap again)
#
# Builds (skipping an image that already exists, unless --rebuild):
#   vheap/jre:17        Debian bookworm minbase + openjdk-17-jre-headless
#   vheap/postgres:15   Debian bookworm minbase + postgresql-15, with an entrypoint like the official image's
#                       (POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, PGDATA, PGPORT; first start initialises)
# What it does, as root: installs docker.io and debootstrap if missing; starts `dockerd --bridge=none
# --iptables=false` in the background if no engine answers (run every container with --network host);
# debootstraps each rootfs and caches it as a tarball keyed by its package list, so a second run only imports.
# Environment: VHEAP_CACHE (default /var/cache/vheap), DEBIAN_MIRROR (default http://deb.debian.org/debian),
#   DOCKERD_WAIT (seconds to wait for the engine, default 60).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${VHEAP_CACHE:-/var/cache/vheap}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
rebuild=false
case "${1:-}" in
  --rebuild) rebuild=true ;;
  "") ;;
  -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "offline-images: unknown argument '$1' (usage: $0 [--rebuild])" >&2; exit 2 ;;
esac

step="starting"
scratch=()   # temporary directories, removed on exit
cleanup() { [ ${#scratch[@]} -eq 0 ] || rm -rf "${scratch[@]}"; }
fail() { echo "offline-images: failed while $step${1:+: $1}" >&2; trap - EXIT; cleanup; exit 1; }
trap 'rc=$?; cleanup; [ $rc -eq 0 ] || echo "offline-images: failed while $step (exit $rc; command: $BASH_COMMAND)" >&2' EXIT
log() { echo "offline-images: $*" >&2; }

[ "$(id -u)" -eq 0 ] || fail "must run as root (debootstrap and dockerd need it)"

# --- tools -------------------------------------------------------------------------------------------------
step="installing docker.io and debootstrap"
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- engine ------------------------------------------------------------------------------------------------
step="starting the Docker engine"
if ! docker info >/dev/null 2>&1; then
  mkdir -p "$cache"
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    log "no engine answers; starting dockerd --bridge=none --iptables=false (log: $cache/dockerd.log)"
    setsid dockerd --bridge=none --iptables=false >>"$cache/dockerd.log" 2>&1 </dev/null &
  fi
  deadline=$((SECONDS + ${DOCKERD_WAIT:-60}))
  until docker info >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "no answer from dockerd after ${DOCKERD_WAIT:-60}s (see $cache/dockerd.log)"
    sleep 1
  done
fi

# --- rootfs tarballs, cached by package list ------------------------------------------------------------------
mkdir -p "$cache/rootfs" "$cache/debs"
exec 9>"$cache/.offline-images.lock"
flock 9   # one build at a time on this machine
# leftovers of an interrupted run (this run holds the lock, so no other uses them)
rm -rf "$cache"/rootfs/.*.?????? "$cache"/.pgimage.??????

# rootfs_tar NAME PACKAGES [PATHS] -> prints the path of a cached tarball of a minbase rootfs with PACKAGES,
# without PATHS (relative to the rootfs). The cache key is the suite, the package list and PATHS.
rootfs_tar() {
  local name="$1" packages="$2" remove="${3:-}" key tar dir p
  key="$(printf '%s\n' "$suite" minbase "$packages" rootfs-v1 ${remove:+"$remove"} | sha256sum | cut -c1-16)"
  tar="$cache/rootfs/$name-$suite-$key.tar"
  if [ -s "$tar" ]; then echo "$tar"; return; fi
  step="debootstrapping $name ($packages)"
  dir="$(mktemp -d "$cache/rootfs/.$name.XXXXXX")"
  scratch+=("$dir")
  log "debootstrap $name: $packages (cold; a few minutes)"
  local t0=$SECONDS
  if ! debootstrap --variant=minbase --include="$packages" --cache-dir="$cache/debs" \
        "$suite" "$dir" "$mirror" >"$cache/debootstrap-$name.log" 2>&1; then
    rm -rf "$dir"
    fail "debootstrap failed (last lines of $cache/debootstrap-$name.log: $(tail -n 3 "$cache/debootstrap-$name.log" | tr '\n' ' '))"
  fi
  # slim down: package caches and lists, docs; the rootfs must not keep host mounts
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
         "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/var/log/*.log "$dir"/var/log/apt/*
  for p in $remove; do rm -rf "${dir:?}/$p"; done
  echo "deb $mirror $suite main" >"$dir/etc/apt/sources.list"
  tar --numeric-owner -C "$dir" -cf "$tar.part" .
  mv "$tar.part" "$tar"
  for p in "$cache/rootfs/$name-$suite"-*.tar; do [ "$p" = "$tar" ] || rm -f "$p"; done   # older package lists
  rm -rf "$dir"
  log "debootstrap $name took $((SECONDS - t0))s -> $tar ($(du -h "$tar" | cut -f1))"
  echo "$tar"
}

exists() { docker image inspect "$1" >/dev/null 2>&1; }
# current IMAGE REV: the image exists and was imported from this revision (its VHEAP_IMAGE_REV variable)
current() { docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null | grep -qx "VHEAP_IMAGE_REV=$2"; }

# --- vheap/jre:17 ----------------------------------------------------------------------------------------------
image=vheap/jre:17
if $rebuild || ! exists "$image"; then
  tar="$(rootfs_tar jre "openjdk-17-jre-headless")"
  step="importing $image"
  t0=$SECONDS
  docker import \
    -c 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    -c 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'CMD ["java", "-version"]' \
    - "$image" <"$tar" >/dev/null
  log "$image imported in $((SECONDS - t0))s"
else
  log "$image exists; skipped (--rebuild to rebuild)"
fi

# --- vheap/postgres:15 -----------------------------------------------------------------------------------------
image=vheap/postgres:15
# the entrypoint is part of the image: a changed entrypoint re-imports it
rev="$(sha256sum "$here/postgres/docker-entrypoint.sh" | cut -c1-16)"
if $rebuild || ! current "$image" "$rev"; then
  # without the cluster that the package's postinst creates: the entrypoint makes one in $PGDATA
  tar="$(rootfs_tar postgres "postgresql-15" "var/lib/postgresql/15 etc/postgresql/15")"
  step="importing $image"
  t0=$SECONDS
  work="$(mktemp -d "$cache/.pgimage.XXXXXX")"
  scratch+=("$work")
  cp "$tar" "$work/rootfs.tar"
  mkdir -p "$work/add/usr/local/bin"
  install -m 0755 "$here/postgres/docker-entrypoint.sh" "$work/add/usr/local/bin/docker-entrypoint.sh"
  tar --numeric-owner --owner=0 --group=0 -C "$work/add" -rf "$work/rootfs.tar" ./usr/local/bin/docker-entrypoint.sh
  docker import \
    -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENV PGDATA=/var/lib/postgresql/data' \
    -c "ENV VHEAP_IMAGE_REV=$rev" \
    -c 'EXPOSE 5432' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    -c 'CMD ["postgres"]' \
    - "$image" <"$work/rootfs.tar" >/dev/null
  rm -rf "$work"
  log "$image imported in $((SECONDS - t0))s"
else
  log "$image is current; skipped (--rebuild to rebuild)"
fi

step="listing the images"
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^vheap/' >&2 || true
