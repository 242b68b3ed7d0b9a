#!/usr/bin/env bash
# Runs Mentorat with demo data on the embedded defaults (SQLite, tasks run in-process,
# e-mails printed in this terminal), on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_commun.sh

installer_paquets_debian "${PAQUETS_EXECUTION[@]}"
preparer_virtualenv requirements/base.txt
export DEBUG="${DEBUG:-true}"
PY=.venv/bin/python
$PY manage.py migrate --noinput
$PY manage.py compilemessages --ignore=.venv -v 0
$PY manage.py demo
echo
echo "==> Mentorat est servi sur http://127.0.0.1:8000 (Ctrl+C pour arrêter)"
echo "    Administration du comité : http://127.0.0.1:8000/admin/"
exec $PY manage.py runserver 127.0.0.1:8000
