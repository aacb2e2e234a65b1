#!/usr/bin/env bash
# with-citus.sh — runs a command against a throwaway Citus cluster: a coordinator and two
# workers (PostgreSQL 15 with the citus extension), each a private cluster in a temporary
# directory, on Unix sockets only, run as the `postgres` user when started by root, removed
# afterwards whether the command passed or not. The command sees DATABASE_URL (the
# coordinator's database wms, with citus), WMS_CITUS=1 and WMS_TEST_PGDIR (the coordinator's
# directory). `make check-citus` runs every suite so.
#
# On a machine whose PostgreSQL has no Citus it says so and exits 1. Citus is not in the
# registries these build machines reach; an operator installs it from Citus's own packages
# (https://docs.citusdata.com/en/stable/installation/multi_node_debian.html: add the
# citusdata repository with its deb.sh, then `apt-get install postgresql-15-citus-13.2`).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
sharedir=$("$bindir/pg_config" --sharedir 2>/dev/null || echo /usr/share/postgresql/15)
if [ ! -f "$sharedir/extension/citus.control" ]; then
    echo "check-citus: this machine's PostgreSQL ($bindir) has no Citus: $sharedir/extension/citus.control" \
         "is missing. Install Citus's packages for PostgreSQL 15 (README: Scale-out on Citus) and" \
         "run again; nothing was tested." >&2
    exit 1
fi
tmp=$(mktemp -d /tmp/wms-citus.XXXXXX)
nodes=(coordinator worker1 worker2)
cleanup() {
    for n in "${nodes[@]}"; do "$here/sql/pgcluster.sh" stop "$tmp/$n" || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export PG_EXTRA_CONF="shared_preload_libraries = 'citus'
citus.enable_unsafe_triggers = on
max_prepared_transactions = 200"
declare -A url
for n in "${nodes[@]}"; do
    url[$n]=$("$here/sql/pgcluster.sh" start "$tmp/$n" nofsync)
done
psql_on() { # node SQL…
    local n=$1; shift
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$bindir/psql" -qAtX -v ON_ERROR_STOP=1 "${url[$n]}" "$@"
    else "$bindir/psql" -qAtX -v ON_ERROR_STOP=1 "${url[$n]}" "$@"; fi
}
for n in "${nodes[@]}"; do psql_on "$n" -c "CREATE EXTENSION IF NOT EXISTS citus"; done
psql_on coordinator -c "SELECT citus_set_coordinator_host('$tmp/coordinator/sock', 5432)"
for w in worker1 worker2; do
    psql_on coordinator -c "SELECT citus_add_node('$tmp/$w/sock', 5432)" >/dev/null
done
echo "with-citus: coordinator and 2 workers up in $tmp" >&2
DATABASE_URL=${url[coordinator]}
export DATABASE_URL WMS_CITUS=1 WMS_TEST_PGDIR="$tmp/coordinator" WMS_PGCLUSTER="$here/sql/pgcluster.sh"
rc=0
"$@" || rc=$?
if [ $rc -ne 0 ]; then
    for n in "${nodes[@]}"; do
        [ -f "$tmp/$n/server.log" ] || continue
        echo "--- last lines of the $n's log ---" >&2
        tail -n 20 "$tmp/$n/server.log" >&2 || true
    done
fi
exit $rc
