#!/usr/bin/env bash
# The whole test suite, as CI runs it: the locked dependencies, the pre-commit checks (ruff, mypy,
# migrations, compose file), pytest on PostgreSQL with branch coverage and its floor (browser tests in
# Debian's Chromium, a real Celery worker on Redis), then a smoke run of the embedded SQLite default.
# Extra arguments go to pytest, which then runs without coverage (a subset cannot reach the floor).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_commun.sh

installer_paquets_debian "${PAQUETS_EXECUTION[@]}" chromium postgresql-client redis-tools

# PostgreSQL and Redis: started only if they are not already running.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "==> Démarrage de PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "==> Démarrage de Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

preparer_virtualenv requirements/test.txt
export PATH="$PWD/.venv/bin:$PATH"
export DEBUG=true
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mentorat}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
unset CELERY_BROKER_URL EMAIL_URL

echo "==> Contrôles de .pre-commit-config.yaml : verrou, ruff, mypy, migrations, docker-compose.yml"
pre-commit run --all-files --show-diff-on-failure
echo "==> Catalogues de traduction"
python manage.py compilemessages --ignore=.venv -v 0

if [ "$#" -eq 0 ]; then
  echo "==> pytest, avec la couverture des branches (plancher : fail_under dans pyproject.toml)"
  coverage erase
  coverage run -m pytest
  coverage report
else
  echo "==> pytest $*"
  python -m pytest "$@"
fi

echo "==> Mode découverte (SQLite) : migration, démonstration, page d'accueil"
tmp="$(mktemp -d)"
trap 'kill "${serveur:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
env -u DATABASE_URL DATABASE_URL="sqlite:///$tmp/decouverte.sqlite3" python manage.py migrate --noinput -v 0
env DATABASE_URL="sqlite:///$tmp/decouverte.sqlite3" python manage.py demo >/dev/null
env DATABASE_URL="sqlite:///$tmp/decouverte.sqlite3" python manage.py runserver 127.0.0.1:8765 --noreload >"$tmp/serveur.log" 2>&1 &
serveur=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null http://127.0.0.1:8765/healthz/ && break; sleep 0.2; done
curl -fs http://127.0.0.1:8765/ | grep -q "Calendrier de la promotion" || { cat "$tmp/serveur.log"; echo "La page d'accueil en mode découverte ne répond pas." >&2; exit 1; }
echo "Page d'accueil servie depuis SQLite : OK"
