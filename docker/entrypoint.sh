#!/bin/sh
# Container entrypoint: `web` (default), `dev` (the development server, reloading on changes;
# compose.dev.yml), `migrate`, `scheduler`, or any other command to run as is.
set -eu

cd "$(dirname "$0")/.."

FLASK="${FLASK:-flask}"
PYTHON="${PYTHON:-python}"

wait_for_db() {
    "$FLASK" --app manage wait-for-db --timeout "${DB_WAIT_TIMEOUT:-60}"
}

migrate() {
    "$FLASK" --app manage db upgrade
}

cmd="${1:-web}"
if [ "$#" -gt 0 ]; then shift; fi

case "$cmd" in
    web)
        wait_for_db
        migrate
        # A request may take a minute: saving a 50,000-line CSV import does (gunicorn: 30 s).
        exec gunicorn --bind 0.0.0.0:8000 --workers "${WEB_CONCURRENCY:-2}" \
            --timeout "${WEB_TIMEOUT:-120}" --access-logfile - "$@" "tracker:create_app()"
        ;;
    dev)
        wait_for_db
        migrate
        exec "$FLASK" --app manage run --host 0.0.0.0 --port 8000 --reload "$@"
        ;;
    migrate)
        wait_for_db
        migrate
        exit 0
        ;;
    scheduler)
        wait_for_db
        exec "$PYTHON" manage.py scheduler "$@"
        ;;
    *)
        exec "$cmd" "$@"
        ;;
esac
