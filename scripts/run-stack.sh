#!/usr/bin/env bash
# `make run-stack`: the app on PostgreSQL and Redis, with a Celery worker and beat beside
# the server. Worker and beat stop when the server stops.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV_BIN=${VENV_BIN:-.venv/bin}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=config.settings.local
# Links in mails point to the address served (the worker renders them), unless set.
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}

missing=()
[ -n "${DATABASE_URL:-}" ] || missing+=(DATABASE_URL)
[ -n "${REDIS_URL:-}" ] || missing+=(REDIS_URL)
if [ ${#missing[@]} -gt 0 ]; then
    echo "make run-stack: please set ${missing[*]// / and } first, for example" >&2
    echo "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/mitplanen" \
        "REDIS_URL=redis://127.0.0.1:6379/0 make run-stack" >&2
    echo "(or use 'make run' for the embedded mode, which needs neither)" >&2
    exit 2
fi

"$VENV_BIN/python" manage.py migrate --noinput -v0
"$VENV_BIN/python" manage.py seed_demo
# A local stack on this machine: the public demo password is acceptable here.
"$VENV_BIN/python" manage.py ensure_demo_coordinator --force
"$VENV_BIN/python" manage.py ensure_demo_member --force
echo "Open http://$HOST:$PORT/ and sign in with the demo coordinator or the demo member above."

pids=()
stop() {
    trap - EXIT INT TERM
    if [ ${#pids[@]} -gt 0 ]; then
        echo "stopping Celery worker and beat" >&2
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$VENV_BIN/celery" -A config worker --loglevel=INFO &
pids+=($!)
"$VENV_BIN/celery" -A config beat --loglevel=INFO \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler &
pids+=($!)

"$VENV_BIN/python" manage.py serve --host "$HOST" --port "$PORT"
