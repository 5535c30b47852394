#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the test suite and prints the DATABASE_URL
# to use. Usage: scripts/postgres.sh start | stop
# Installs PostgreSQL from Debian's packages when it is missing. The cluster lives in
# ${PARLEY_PG_DIR:-/tmp/parley-pg} and listens on 127.0.0.1:${PARLEY_PG_PORT:-25432}: below
# Linux's ephemeral range (32768-60999), where a test's client socket once held 55432 just as
# the server started ("Address already in use"). A start that fails is tried again.
set -euo pipefail
dir=${PARLEY_PG_DIR:-/tmp/parley-pg}
port=${PARLEY_PG_PORT:-25432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      echo "installing PostgreSQL from Debian's packages" >&2
      if [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2; else sudo apt-get update -qq >&2 && sudo apt-get install -y -qq postgresql >&2; fi
      bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres "$dir"
      as_postgres "$bin/initdb" -D "$dir" -U parley --auth=trust >/dev/null
    fi
    if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      for attempt in 1 2 3; do
        if as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null; then
          break
        fi
        [ "$attempt" = 3 ] && { tail -n 5 "$dir/server.log" >&2; exit 1; }
        sleep 2
      done
    fi
    echo "postgres://parley@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -n "$bin" ] && as_postgres "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    # Every test makes its own database and none is dropped: the cluster is thrown away
    # (left in place, runs added up to 11 GB and filled the disk).
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
