#!/usr/bin/env bash
# with-pg.sh — runs a command against a throwaway PostgreSQL cluster (temporary
# directory, fsync off) that is removed afterwards, whether the command passed or not.
# The command sees DATABASE_URL, and WMS_TEST_PGDIR for tests that stop and restart
# the server (sql/pgcluster.sh pgctl "$WMS_TEST_PGDIR" ...).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d /tmp/wms-test-pg.XXXXXX)
cleanup() {
    "$here/sql/pgcluster.sh" stop "$tmp/pg" || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
DATABASE_URL=$("$here/sql/pgcluster.sh" start "$tmp/pg" nofsync)
export DATABASE_URL WMS_TEST_PGDIR="$tmp/pg" WMS_PGCLUSTER="$here/sql/pgcluster.sh"
rc=0
"$@" || rc=$?
if [ $rc -ne 0 ] && [ -f "$tmp/pg/server.log" ]; then
    echo "--- last lines of the PostgreSQL log ---" >&2
    tail -n 30 "$tmp/pg/server.log" >&2 || true
fi
exit $rc
