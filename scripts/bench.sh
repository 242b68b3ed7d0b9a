#!/usr/bin/env bash
# `make bench`: every page under load beside a bare Django view, at national scale, and the exports' times
# (mentorat/management/commands/bench.py). Builds its data in a database of its own, created then dropped:
# the application's database is neither read nor written. Extra arguments go to the command, e.g.
# `make bench ARGS="--duree 8s --tours 5"`. Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_commun.sh

installer_paquets_debian "${PAQUETS_EXECUTION[@]}" postgresql-client wrk
preparer_virtualenv requirements/base.txt
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "==> PostgreSQL : démarrage"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
# The command itself runs with DEBUG on (its own process only); the gunicorn it starts runs with DEBUG off.
export DEBUG=true
export DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mentorat}"
exec .venv/bin/python manage.py bench "$@"
