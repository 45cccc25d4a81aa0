#!/usr/bin/env bash
# Back up the portal's PostgreSQL database (pg_dump custom format) and, when media is on the
# local disk, its media folder. Usage: deploy/backup.sh [dump-file]
#   DATABASE_URL       the database (as the app reads it)            (required)
#   BACKUP_DIR         where dumps go (default /var/backups/portal)
#   PORTAL_MEDIA_ROOT  media folder to archive beside the dump (skipped when unset or absent)
#   BACKUP_KEEP_DAYS   delete dumps older than this many days (default 30; 0 keeps all)
# Safe while the portal runs: pg_dump reads one consistent snapshot. docs/deployment.md.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *)
  echo "backup.sh backs up PostgreSQL; for SQLite see docs/deployment.md" >&2; exit 2;;
esac
dir="${BACKUP_DIR:-/var/backups/portal}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
dump="${1:-$dir/portal-$stamp.dump}"
mkdir -p "$(dirname "$dump")"
umask 077   # dumps hold personal data: readable by the backup user only
pg_dump --format=custom --no-owner --no-privileges --file="$dump.partial" "$DATABASE_URL"
mv "$dump.partial" "$dump"
pg_restore --list "$dump" >/dev/null   # the archive is readable, or the backup fails
echo "database: $dump ($(du -h "$dump" | cut -f1))"
if [ -n "${PORTAL_MEDIA_ROOT:-}" ] && [ -d "$PORTAL_MEDIA_ROOT" ]; then
  media="${dump%.dump}-media.tar.gz"
  tar -czf "$media" -C "$PORTAL_MEDIA_ROOT" .
  echo "media: $media"
fi
keep="${BACKUP_KEEP_DAYS:-30}"
if [ "$keep" -gt 0 ] && [ -z "${1:-}" ]; then
  find "$dir" -maxdepth 1 -name 'portal-*' -mtime +"$keep" -delete
fi
