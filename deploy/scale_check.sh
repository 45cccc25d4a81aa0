#!/usr/bin/env bash
# `make scale-check`: install what the check needs (as root, from Debian, like `make test`
# does), then run the Python driver, which starts and always stops its own services.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v redis-server >/dev/null || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "The scale check needs Debian's ${missing[*]} (sudo apt-get install ${missing[*]})." >&2
    exit 2
  fi
fi
export PATH="$PATH:/usr/sbin"
# The app servers run with the redis extra, as a deployment with several servers does.
.venv/bin/python -c "import redis" 2>/dev/null || .venv/bin/pip install --quiet "redis>=5,<7"
exec .venv/bin/python deploy/scale_check/scale_check.py "$@"
