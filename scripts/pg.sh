#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback for the tests: scripts/pg.sh start|stop|url
# Data lives in var/pg (removed on stop). Runs as the postgres system user when we are root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Outside the project: the postgres user cannot enter /root, where a checkout often lives.
dir="${TMPDIR:-/tmp}/passerelle-pg-${PASSERELLE_PG_PORT:-55432}"
port=${PASSERELLE_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir" && chmod 700 "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/init.log" 2>&1
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  url) echo "postgresql://postgres@127.0.0.1:$port/postgres" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
