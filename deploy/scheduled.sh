#!/bin/sh
# The portal's timed jobs in four groups, each run by a systemd timer (deploy/systemd) or a
# cron line: frequent (every 5 minutes), morning (07:00), night (03:30), weekly (Mondays 08:00).
# Every job is safe to run again or late. Usage: deploy/scheduled.sh frequent|morning|night|weekly
set -eu
cd "$(dirname "$0")/.."
python=${PORTAL_PYTHON:-python}
[ -x .venv/bin/python ] && python=${PORTAL_PYTHON:-.venv/bin/python}
manage() { "$python" manage.py "$@"; }
case "${1:-}" in
  frequent)
    manage publish_scheduled          # go-live and expiry dates
    manage send_alerts                # immediate alerts (docs/alerts.md)
    manage refresh_rankings           # only when stale (docs/priorities.md, "Caching")
    manage send_forum_reminders       # forums within 24 hours; each person once
    ;;
  morning) manage send_staleness_reminders ;;  # assets due a check
  night)                              # data retention
    manage forget_response_hashes
    manage forget_survey_drafts
    ;;
  weekly) manage send_alerts --digest ;;    # weekly alert summaries
  *) echo "usage: $0 frequent|morning|night|weekly" >&2; exit 2 ;;
esac
