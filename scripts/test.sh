#!/usr/bin/env bash
# The whole check behind `make test`: find (or start, or install) PostgreSQL and Redis, make
# sure Chromium (browser tests) and Pango (PDF files) are there, run the quality gates, then
# pytest.
#
# DATABASE_URL / REDIS_URL, if set, are used as they are. Otherwise a local PostgreSQL on
# 127.0.0.1:5432 and Redis on 127.0.0.1:6379 are used, started or installed (as root on
# Debian) when needed. Only if that fails does the suite fall back to the embedded mode;
# with REQUIRE_SERVICES=1 (CI) that fallback, and a missing Chromium, are errors.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV_BIN=${VENV_BIN:-.venv/bin}
PY="$VENV_BIN/python"
PG_HOST=127.0.0.1
PG_PORT=5432
PG_DB=mitplanen
REDIS_LOCAL_URL=redis://127.0.0.1:6379/0
START=$SECONDS
TIMINGS=()

say() { printf '==> %s\n' "$*"; }
loud() {
    local bar='!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!'
    printf '\n%s\n' "$bar" >&2
    printf '!!! %s\n' "$@" >&2
    printf '%s\n\n' "$bar" >&2
}
die() { loud "$@"; exit 1; }
require_services() { [ "${REQUIRE_SERVICES:-0}" = 1 ]; }

FAILED=()
step() {  # step NAME COMMAND...: run and time it; a failure is reported at the end
    local name=$1 t0=$SECONDS result=ok
    shift
    say "$name"
    if ! "$@"; then
        result=FAILED
        FAILED+=("$name")
    fi
    TIMINGS+=("$(printf '%5ss  %-6s %s' $((SECONDS - t0)) "$result" "$name")")
}

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
APT_UPDATED=0
apt_install() {
    can_apt || return 1
    say "apt-get install $*"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q --no-install-recommends "$@"; then
        [ "$APT_UPDATED" = 1 ] && return 1
        apt-get update -q || return 1
        APT_UPDATED=1
        apt-get install -y -q --no-install-recommends "$@" || return 1
    fi
}

wait_for() {  # wait_for SECONDS COMMAND...
    local limit=$1
    shift
    for _ in $(seq "$limit"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 1
    done
    "$@" >/dev/null 2>&1
}

# --- PostgreSQL ---------------------------------------------------------------------------
pg_answers() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h $PG_HOST -p $PG_PORT; }
pg_start_clusters() {
    command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ] || return 1
    local version
    for version in $(ls /etc/postgresql); do
        say "starting PostgreSQL $version"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    wait_for 20 pg_answers
}
pg_sql() {  # as the postgres superuser over TCP; -w: never prompt for a password
    psql -w -h $PG_HOST -p $PG_PORT -U postgres -d postgres -tAq "$@"
}
ensure_postgres() {
    if [ -n "${DATABASE_URL:-}" ]; then
        say "PostgreSQL: using DATABASE_URL from the environment"
        return 0
    fi
    if ! pg_answers; then
        pg_start_clusters || { apt_install postgresql && pg_start_clusters; } || return 1
    fi
    local url="postgres://postgres@$PG_HOST:$PG_PORT/$PG_DB"
    if ! pg_sql -c 'SELECT 1' >/dev/null 2>&1; then
        # A fresh Debian cluster wants a password over TCP: give the superuser one through
        # the local socket (peer authentication) and use it.
        [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1 || return 1
        runuser -u postgres -- psql -q -c "ALTER ROLE postgres PASSWORD 'postgres'" || return 1
        export PGPASSWORD=postgres
        url="postgres://postgres:postgres@$PG_HOST:$PG_PORT/$PG_DB"
        pg_sql -c 'SELECT 1' >/dev/null || return 1
    fi
    if [ "$(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
        say "creating database $PG_DB"
        pg_sql -c "CREATE DATABASE $PG_DB" || return 1
    fi
    export DATABASE_URL=$url
    say "PostgreSQL: $PG_HOST:$PG_PORT/$PG_DB"
}

# --- Redis --------------------------------------------------------------------------------
redis_answers() {
    "$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()" \
        "$1" >/dev/null 2>&1
}
redis_start() {
    command -v redis-server >/dev/null 2>&1 || return 1
    say "starting Redis on 127.0.0.1:6379"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        >/dev/null || return 1
    wait_for 10 redis_answers $REDIS_LOCAL_URL
}
ensure_redis() {
    if [ -n "${REDIS_URL:-}" ]; then
        say "Redis: using REDIS_URL from the environment"
        return 0
    fi
    if ! redis_answers $REDIS_LOCAL_URL; then
        redis_start || { apt_install redis-server && redis_start; } || return 1
    fi
    export REDIS_URL=$REDIS_LOCAL_URL
    say "Redis: 127.0.0.1:6379"
}

# --- Chromium -----------------------------------------------------------------------------
find_chromium() {
    local candidate
    for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium "$(command -v chromium || true)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}
ensure_chromium() {
    local path
    path=$(find_chromium) || { apt_install chromium && path=$(find_chromium); } || return 1
    export CHROMIUM_PATH=$path
    say "Chromium: $CHROMIUM_PATH"
}

# --- Pango, for WeasyPrint's PDF files -------------------------------------------------------
# WeasyPrint loads these as it is imported; without them the PDF downloads answer 503.
has_pango() { "$PY" -c "import weasyprint" >/dev/null 2>&1; }
ensure_pango() {
    has_pango && return 0
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 && has_pango
}

# --- 1. services ----------------------------------------------------------------------------
t0=$SECONDS
if ! ensure_postgres || ! ensure_redis; then
    require_services && die "REQUIRE_SERVICES=1 but PostgreSQL and Redis could not be found, started or installed."
    loud "PostgreSQL and/or Redis are NOT available: falling back to the EMBEDDED mode" \
        "(SQLite, in-memory channel layer). Tests marked 'services' will be SKIPPED."
    unset DATABASE_URL REDIS_URL
fi
if ! ensure_chromium; then
    require_services && die "REQUIRE_SERVICES=1 but Chromium could not be found or installed."
    loud "Chromium is NOT available: the browser tests will be skipped or fail."
fi
if ! ensure_pango; then
    require_services && die "REQUIRE_SERVICES=1 but Pango (for the PDF files) could not be found or installed."
    loud "Pango is NOT available: the PDF tests will fail."
fi
TIMINGS+=("$(printf '%5ss  %-6s %s' $((SECONDS - t0)) ok "services, browser and Pango")")

# --- 2. quality gates -------------------------------------------------------------------------
step "ruff check" "$VENV_BIN/ruff" check .
step "ruff format --check" "$VENV_BIN/ruff" format --check .
step "import contracts (lint-imports)" "$VENV_BIN/lint-imports"
# A throwaway key of production's shape, so check --deploy judges the real settings.
deploy_check() {
    DJANGO_SETTINGS_MODULE=config.settings.production \
        DJANGO_SECRET_KEY='IcZGblMC3ljVrQXUFMYN75CbjRJ2FbmbmahvrZEOWa8cozgqt0rRKcKVYLEC' \
        DJANGO_ALLOWED_HOSTS=example.org TRUSTED_PROXIES=127.0.0.1 \
        "$PY" manage.py check --deploy --fail-level WARNING
}
step "manage.py check --deploy (production settings)" deploy_check
# Known vulnerabilities with a fix in the installed dependencies, against the vendored
# advisory snapshot (scripts/advisories/README.md): works without OSV or PyPI's JSON API.
step "dependency audit (PyPA advisories)" "$PY" scripts/dependency_audit.py
step "makemigrations --check" env DJANGO_SETTINGS_MODULE=config.settings.test \
    "$PY" manage.py makemigrations --check --dry-run
locale_dirs=$(find . -path ./.venv -prune -o -path ./node_modules -prune -o -path ./.git -prune \
    -o -type d -name locale -print)
if [ -n "$locale_dirs" ]; then
    if ! command -v msgfmt >/dev/null 2>&1; then
        apt_install gettext || die "msgfmt (gettext) is missing and could not be installed."
    fi
    step "compilemessages" env DJANGO_SETTINGS_MODULE=config.settings.test \
        "$PY" manage.py compilemessages --ignore=.venv --ignore=node_modules -v0
fi

# --- 3. the suite ---------------------------------------------------------------------------
is_set() { if [ -n "${!1:-}" ]; then echo "$1 set"; else echo "$1 unset"; fi; }
# One pytest worker per CPU (pytest-xdist): the suite is bound by the test process's CPU, and
# each worker has its own test database, Redis database and media folder
# (config/settings/test.py). PYTEST_WORKERS=0 runs it in one process.
WORKERS=${PYTEST_WORKERS:-$(nproc 2>/dev/null || echo 2)}
pytest_suite() {
    DJANGO_SETTINGS_MODULE=config.settings.test "$VENV_BIN/pytest" -n "$WORKERS" \
        --dist worksteal "$@"
    local status=$?
    [ $status = 5 ] && echo "pytest collected no tests" >&2
    return $status
}
step "pytest ($(is_set DATABASE_URL), $(is_set REDIS_URL), $WORKERS workers)" pytest_suite "$@"

printf '\n--- timings ---\n'
printf '%s\n' "${TIMINGS[@]}"
printf '%5ss  total\n' $((SECONDS - START))
if [ ${#FAILED[@]} -gt 0 ]; then
    die "make test FAILED:" "${FAILED[@]}"
fi
echo "make test: all checks passed"
