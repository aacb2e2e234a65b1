#!/usr/bin/env bash
# run-local.sh — what `make run` does after the build: a private cluster in var/pg
# (unless DATABASE_URL is set), migrations, demo data and keys, then the server.
# It prints the two lines a second terminal needs for the README's `wmsd` commands.
# WMS_PGDIR puts the private cluster elsewhere (the README test runs this script in a
# scratch directory).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
pgdir=${WMS_PGDIR:-$here/var/pg}
# $1 as one shell word in single quotes
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
private=
if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL=$("$here/sql/pgcluster.sh" start "$pgdir")
    export DATABASE_URL
    private=1
    echo "PostgreSQL: private cluster in $pgdir (stop it with: sql/pgcluster.sh stop $pgdir)"
fi
"$WMSD" migrate
"$WMSD" demo
export WMS_LISTEN=${WMS_LISTEN:-127.0.0.1:8080}
echo "For the wmsd commands of the README in a second terminal:"
echo "  export PATH=$(quote "$(dirname "$WMSD")"):\"\$PATH\""
if [ -n "$private" ]; then
    hint=
    case $pgdir in */var/pg) hint="   # or run wmsd in $(quote "${pgdir%/var/pg}"): it finds var/pg there" ;; esac
    echo "  export DATABASE_URL=$(quote "$DATABASE_URL")$hint"
fi
echo "the handheld scanner: http://$WMS_LISTEN/scanner/ (sign in with the staff ES-MAD-FC key above;"
echo "  the demo shipment ASN-DE0000D001 is on its way to ES-MAD-FC)"
echo "serving on http://$WMS_LISTEN (Ctrl-C stops)"
exec "$WMSD" serve
