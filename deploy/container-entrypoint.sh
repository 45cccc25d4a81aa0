#!/bin/sh
# The image's commands: web (gunicorn, the default), worker (the task worker), migrate (run
# once per release, before the new web servers start), scheduled <group> (the timed jobs of
# deploy/scheduled.sh), or any manage.py command.
set -e
case "${1:-web}" in
  web)
    shift || true
    exec gunicorn portal.wsgi --bind 0.0.0.0:8000 --workers "${GUNICORN_WORKERS:-3}" \
      --timeout "${GUNICORN_TIMEOUT:-60}" --graceful-timeout 30 \
      --access-logfile - "$@" ;;
  worker) exec python manage.py db_worker --no-reload ;;
  migrate) exec python manage.py migrate --noinput ;;
  scheduled) shift; exec /app/deploy/scheduled.sh "$@" ;;
  *) exec python manage.py "$@" ;;
esac
