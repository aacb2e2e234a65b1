#!/usr/bin/env bash
# run-local.sh — what `make run` does after the build: a private cluster in var/pg
# (unless DATABASE_URL is set), migrations, demo data and keys, then the server.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL=$("$here/sql/pgcluster.sh" start "$here/var/pg")
    export DATABASE_URL
    echo "PostgreSQL: private cluster in var/pg (stop it with: sql/pgcluster.sh stop var/pg)"
fi
"$WMSD" migrate
"$WMSD" demo
export WMS_LISTEN=${WMS_LISTEN:-127.0.0.1:8080}
echo "serving on http://$WMS_LISTEN (Ctrl-C stops)"
exec "$WMSD" serve
