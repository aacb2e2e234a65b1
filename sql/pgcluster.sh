#!/usr/bin/env bash
# pgcluster.sh — a private PostgreSQL cluster in a directory of its own.
#
#   pgcluster.sh start DIR [nofsync] initdb if needed (with $PG_EXTRA_CONF appended to its
#                                    postgresql.conf), start, print the DATABASE_URL
#   pgcluster.sh stop DIR            stop it (fast)
#   pgcluster.sh url DIR             print the DATABASE_URL
#   pgcluster.sh pgctl DIR ARGS...   run pg_ctl on it as the cluster's owner
#
# The server listens only on a Unix socket inside DIR (mode 0700). PostgreSQL
# refuses to run as root: when started by root, the cluster belongs to the
# `postgres` system user (created if missing) and every server command runs as it.
set -euo pipefail
cmd=${1:?usage: pgcluster.sh start|stop|url|pgctl DIR}
dir=$(realpath -m "${2:?DIR}")
shift 2

bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bindir/initdb" ] || { echo "pgcluster: no PostgreSQL server found (install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
owner() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }
url() { echo "postgresql:///wms?host=$dir/sock&port=5432&user=$(owner)"; }

case "$cmd" in
start)
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
        # the postgres user must be able to reach DIR through its parents
        p=$(dirname "$dir"); while [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
    fi
    chmod 0700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/initdb" --no-sync -A trust -U "$(owner)" -E UTF8 --locale=C.UTF-8 \
            -D "$dir/data" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
        as_owner mkdir -p "$dir/sock"
        as_owner chmod 0700 "$dir/sock"
        {
            echo "listen_addresses = ''"
            echo "unix_socket_directories = '$dir/sock'"
            echo "max_connections = 200"
            echo "shared_buffers = 256MB"
            if [ "${1:-}" = nofsync ]; then
                echo "fsync = off"; echo "synchronous_commit = off"; echo "full_page_writes = off"
            fi
            # more settings, one per line (tests/with-citus.sh loads Citus so)
            [ -z "${PG_EXTRA_CONF:-}" ] || printf '%s\n' "$PG_EXTRA_CONF"
        } | as_owner tee -a "$dir/data/postgresql.conf" >/dev/null
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
            echo "pgcluster: the server did not start; its log:" >&2
            cat "$dir/server.log" >&2 || true
            exit 1
        fi
    fi
    as_owner "$bindir/psql" -qAt -h "$dir/sock" -U "$(owner)" -d postgres \
        -c "SELECT 1 FROM pg_database WHERE datname = 'wms'" | grep -q 1 ||
        as_owner "$bindir/createdb" -h "$dir/sock" -U "$(owner)" wms
    url
    ;;
stop)
    [ -f "$dir/data/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
url)
    url
    ;;
pgctl)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" "$@"
    ;;
*)
    echo "pgcluster: unknown command $cmd" >&2; exit 2 ;;
esac
