#!/usr/bin/env bash
# Restore a dump made by deploy/backup.sh into the database DATABASE_URL names, replacing what
# is there. Usage: deploy/restore.sh portal-20261130T030000Z.dump
# Stop the app servers and the task worker first; afterwards run `manage.py migrate` (a dump
# from an older release) and start them again. Media: untar the -media.tar.gz beside the dump
# into PORTAL_MEDIA_ROOT. docs/deployment.md, "Backups".
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}"
dump="${1:?usage: restore.sh DUMP}"
[ -r "$dump" ] || { echo "cannot read $dump" >&2; exit 2; }
pg_restore --list "$dump" >/dev/null
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --dbname="$DATABASE_URL" "$dump"
echo "restored $dump"
