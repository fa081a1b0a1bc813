#!/bin/bash
# Entrypoint of vheap/postgres:15 (Debian's postgresql-15), a stand-in for the official postgres image:
#   POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_USER (default postgres),
#   POSTGRES_DB (default $POSTGRES_USER), POSTGRES_INITDB_ARGS, PGDATA (default /var/lib/postgresql/data),
#   PGPORT (default 5432; with --network host pick a free one), POSTGRES_LISTEN_ADDRESSES (default '*'),
#   /docker-entrypoint-initdb.d/*.sh|*.sql run once, on first start.
# The first start initialises the cluster with a temporary server on the Unix socket only, then starts the real
# one, so "database system is ready to accept connections" appears twice (Testcontainers waits for that).
set -Eeo pipefail

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGPORT="${PGPORT:-5432}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"

if [ "$1" = 'postgres' ] && [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"; chmod 2775 /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  # the postgres user's own home (as gosu sets it in the official image): libpq in the server (Citus's connections
  # between nodes) looks for ~/.postgresql/ certificates, and root's home is not readable to it
  export HOME=/var/lib/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ "$1" = 'postgres' ]; then
  shift
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
      echo "error: database is uninitialized and POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
      exit 1
    fi
    pwfile="$(mktemp)"; printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
    # shellcheck disable=SC2086
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
           --auth-local=trust --auth-host="$auth" ${POSTGRES_INITDB_ARGS:-}
    rm -f "$pwfile"
    printf 'host all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
    printf "listen_addresses = '%s'\n" "${POSTGRES_LISTEN_ADDRESSES:-*}" >>"$PGDATA/postgresql.conf"

    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p $PGPORT" -w start
    psql=(psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username "$POSTGRES_USER" -p "$PGPORT")
    if [ "$POSTGRES_DB" != postgres ]; then
      "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" -q <<<'CREATE DATABASE :"db";'
    fi
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh)  echo "running $f"; . "$f" ;;
        *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
        *) ;;
      esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop
    echo "PostgreSQL init process complete; ready for start up."
  fi
  # The official image stops PostgreSQL with SIGINT (its STOPSIGNAL): a fast shutdown that disconnects clients,
  # so `docker stop` stops it at once. docker import cannot set STOPSIGNAL, and SIGTERM would be a smart shutdown
  # that waits for every client to leave (a heap server's pool never does): SIGTERM becomes SIGINT here.
  postgres -p "$PGPORT" "$@" &
  pid=$!
  trap 'kill -INT "$pid" 2>/dev/null' TERM INT
  while :; do
    if wait "$pid"; then status=0; else status=$?; fi
    kill -0 "$pid" 2>/dev/null || break   # still running: a signal interrupted the wait
  done
  exit "$status"
fi

exec "$@"
