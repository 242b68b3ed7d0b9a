"""The daily jobs of the programme's year, in the order they must run, and how the quick start runs them.

In production Celery beat runs each job at its hour (`CELERY_BEAT_SCHEDULE`). Without a broker (`make run`:
SQLite, tasks run in-process), nothing would ever run them: `executer()` runs them all once, in order, and
`demarrer()` does so in a daemon thread of the web process, at start and then every day at `RAPPELS_HEURE`
(setting `TACHES_QUOTIDIENNES`, which `scripts/run.sh` sets for the server only). Every job is idempotent:
running them twice a day, or at start and again at their hour, changes nothing more.
"""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)


def _taches():
    from binomes import tasks as binomes
    from evaluation import tasks as evaluation
    from rgpd import tasks as rgpd
    from suivi import tasks as suivi

    # Pairs change state first (activated at the launch day, finished at the bilan day, flagged when still
    # unconfirmed), so that reminders and questionnaire invitations follow the states of the day.
    return [
        binomes.activer_binomes,
        binomes.terminer_binomes,
        binomes.signaler_non_confirmes,
        suivi.planifier_rappels,
        suivi.inviter_aux_temps_collectifs,
        evaluation.planifier_envois,
        # What reached its retention limit is listed for the pilot (nothing is anonymised without approval).
        rgpd.lister_expirations,
        # Exports past their download period are deleted.
        suivi.supprimer_exports_expires,
    ]


def executer() -> dict[str, int]:
    """Run every daily job once, in order; a job that fails is logged and the next ones still run.

    Returns {job name: its result} (pairs activated, finished, flagged; e-mails enqueued)."""
    resultats = {}
    for tache in _taches():
        try:
            resultats[tache.name] = tache.apply().get()
        except Exception:
            logger.exception("La tâche quotidienne %s a échoué.", tache.name)
    return resultats


def secondes_avant(heure: int, maintenant: datetime.datetime) -> float:
    """Seconds from `maintenant` to the next `heure` o'clock, local time (tomorrow's when it has passed)."""
    local = timezone.localtime(maintenant)
    prochaine = local.replace(hour=heure, minute=0, second=0, microsecond=0)
    if prochaine <= local:
        prochaine = timezone.make_aware(
            datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(heure))
        )
    # In UTC: across the night the clocks change, the wall-clock difference is an hour off.
    return (prochaine.astimezone(datetime.UTC) - maintenant.astimezone(datetime.UTC)).total_seconds()


def _boucle(attente_initiale: float) -> None:
    time.sleep(attente_initiale)  # let the server finish starting before the first run
    while True:
        close_old_connections()
        resultats = executer()
        logger.info("Tâches quotidiennes exécutées : %s", resultats)
        close_old_connections()
        time.sleep(secondes_avant(settings.RAPPELS_HEURE, timezone.now()))


_fil: threading.Thread | None = None


def demarrer(attente_initiale: float = 2.0) -> threading.Thread:
    """Start, once per process, the thread that runs the daily jobs now and then every day."""
    global _fil
    if _fil is None or not _fil.is_alive():
        _fil = threading.Thread(target=_boucle, args=(attente_initiale,), name="taches-quotidiennes", daemon=True)
        _fil.start()
    return _fil
