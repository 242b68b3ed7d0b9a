#!/usr/bin/env bash
# Runs Mentorat with demo data on the embedded defaults (SQLite, tasks run in-process, e-mails written
# readable to courriels.txt), on http://127.0.0.1:8000 (PORT=8001 make run for another port).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_commun.sh

installer_paquets_debian "${PAQUETS_EXECUTION[@]}"
preparer_virtualenv requirements/base.txt
export DEBUG="${DEBUG:-true}"
export COURRIELS_FICHIER="${COURRIELS_FICHIER:-$PWD/courriels.txt}"
PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
PY=.venv/bin/python
echo "==> Base de données : migrations (SQLite, mentorat.sqlite3 sauf DATABASE_URL)"
$PY manage.py migrate --noinput -v 0
echo "==> Traductions"
$PY manage.py compilemessages --ignore=.venv -v 0
echo "==> Données de démonstration"
$PY manage.py demo
echo
echo "==> Mentorat est servi sur http://127.0.0.1:$PORT (Ctrl+C pour arrêter)"
echo "    Administration du comité : http://127.0.0.1:$PORT/admin/"
echo "    Courriels envoyés par le site : $COURRIELS_FICHIER"
echo "    Tâches quotidiennes (activation, fin d'année, relances, questionnaires) : au démarrage, puis chaque jour à ${RAPPELS_HEURE:-8} h"
# Django's own banner (in English) is left out; requests and errors still show on stderr.
# No broker here: the server's process runs the daily jobs itself (mentorat/quotidien.py).
TACHES_QUOTIDIENNES=true exec $PY manage.py runserver "127.0.0.1:$PORT" --noreload >/dev/null
