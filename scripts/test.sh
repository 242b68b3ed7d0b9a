#!/usr/bin/env bash
# The whole test suite, as CI runs it: the locked dependencies, the pre-commit checks (ruff, mypy,
# migrations, compose file), pytest on PostgreSQL with branch coverage and its floor (browser tests in
# Debian's Chromium, a real Celery worker on Redis), then a smoke run of the embedded SQLite default.
# Extra arguments go to pytest, which then runs without coverage (a subset cannot reach the floor).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_commun.sh

installer_paquets_debian "${PAQUETS_EXECUTION[@]}" chromium postgresql-client redis-tools wrk

# The shared services live on the machine's real clock, even when the tests run under
# `faketime` (libfaketime also hangs redis-cli): probe and start them outside it.
horloge_reelle() { env -u LD_PRELOAD -u FAKETIME "$@"; }

# PostgreSQL and Redis: started only if they are not already running.
if ! horloge_reelle pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "==> Démarrage de PostgreSQL"
  horloge_reelle pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
if ! horloge_reelle redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "==> Démarrage de Redis"
  horloge_reelle redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

preparer_virtualenv requirements/test.txt

# axe-core, pinned in package-lock.json, injected by the accessibility tests into Chromium: installed from the
# lock (`npm ci`) when missing or at another version. Debian's `nodejs` brings npm where Node is not installed.
command -v npm >/dev/null || installer_paquets_debian nodejs npm
if [ "$(node -p "require('./node_modules/axe-core/package.json').version" 2>/dev/null)" != \
  "$(node -p "require('./package-lock.json').packages['node_modules/axe-core'].version")" ]; then
  echo "==> axe-core (npm ci, version verrouillée dans package-lock.json)"
  npm ci --no-audit --no-fund --silent
fi

# The real OpenID provider of the ProConnect tests (Node.js), from its lock file; tests/oidc.py does the same
# when a subset runs without this script.
if [ ! -f tests/fournisseur_oidc/node_modules/oidc-provider/package.json ]; then
  echo "==> Fournisseur OpenID de test (npm ci)"
  npm ci --prefix tests/fournisseur_oidc --no-audit --no-fund --silent
fi
export PATH="$PWD/.venv/bin:$PATH"
export DEBUG=true
export DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mentorat}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
unset CELERY_BROKER_URL EMAIL_URL

echo "==> Contrôles de .pre-commit-config.yaml : verrou, ruff, mypy, migrations, docker-compose.yml"
pre-commit run --all-files --show-diff-on-failure
echo "==> Catalogues de traduction"
python manage.py compilemessages --ignore=.venv -v 0

# One process per core (pytest-xdist; `PYTEST_PROCESSUS=0` for a single one). Each has its own test database
# (pytest-django suffixes it _gw0, _gw1…), its own browser and live server on a free port; the real Celery
# worker's test uses a queue of its own. `worksteal` hands a busy process's queued tests to an idle one.
# pytest-cov gathers the branch coverage of every process; the floor is fail_under in pyproject.toml.
if [ "$#" -eq 0 ]; then
  echo "==> pytest, avec la couverture des branches (plancher : fail_under dans pyproject.toml)"
  python -m pytest -n "${PYTEST_PROCESSUS:-auto}" --dist worksteal --cov --cov-report=term
else
  # A subset cannot reach the floor: it runs without coverage.
  echo "==> pytest $*"
  python -m pytest -n "${PYTEST_PROCESSUS:-auto}" --dist worksteal "$@"
fi

echo "==> Mode découverte (SQLite) : migration, démonstration, page d'accueil"
tmp="$(mktemp -d)"
# Stops our own server only, by its id (`kill 0` would hit this whole process group).
trap 'if [ -n "${serveur:-}" ]; then kill "$serveur" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
env -u DATABASE_URL DATABASE_URL="sqlite:///$tmp/decouverte.sqlite3" python manage.py migrate --noinput -v 0
env DATABASE_URL="sqlite:///$tmp/decouverte.sqlite3" python manage.py demo >/dev/null
# A free port, as the OS gives it: other runs of this script may be serving at the same time.
port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
env DATABASE_URL="sqlite:///$tmp/decouverte.sqlite3" python manage.py runserver "127.0.0.1:$port" --noreload >"$tmp/serveur.log" 2>&1 &
serveur=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz/" && break; sleep 0.2; done
# The page is saved first: `curl | grep -q` fails under pipefail whenever grep stops reading before curl ends.
{ curl -fs -o "$tmp/accueil.html" "http://127.0.0.1:$port/" && grep -q "Calendrier de la promotion" "$tmp/accueil.html"; } \
  || { cat "$tmp/serveur.log"; echo "La page d'accueil en mode découverte ne répond pas." >&2; exit 1; }
echo "Page d'accueil servie depuis SQLite : OK"
