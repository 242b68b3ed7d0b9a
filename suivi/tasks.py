"""Celery tasks of the follow-up: thin, they take ids and call a service."""

from celery import shared_task
from django.utils import timezone

from mentorat.emails import TacheEnvoi

from . import evenements, services


@shared_task
def planifier_rappels() -> int:
    """Daily (beat): create the due reminders and enqueue one send per reminder not yet sent."""
    ids = services.creer_rappels_dus(aujourd_hui=timezone.localdate())
    services.envoyer_apres_commit(ids)
    return len(ids)


@shared_task
def inviter_aux_temps_collectifs() -> int:
    """Daily (beat): invite to the collective times that begin within `evenements.DELAI_INVITATION`; returns the
    e-mails queued (none twice: a participant is invited once per time)."""
    return evenements.inviter_aux_prochains(maintenant=timezone.now())


@shared_task(base=TacheEnvoi)
def envoyer_rappel(rappel_id: int) -> bool:
    return services.envoyer_rappel(rappel_id=rappel_id)


# A PDF of a whole promotion takes seconds, more on a loaded machine: its own limits, above the e-mails' ones.
@shared_task(soft_time_limit=600, time_limit=660)
def produire_export(export_id: str) -> bool:
    """An export asked from the dashboard, produced in the background (`services.produire_export`)."""
    return services.produire_export(export_id=export_id)


@shared_task
def relancer_exports() -> tuple[int, int]:
    """Every few minutes (beat): exports waiting for a worker sent again, those whose worker stopped marked failed."""
    return services.relancer_exports()


@shared_task
def supprimer_exports_expires() -> int:
    """Daily (beat): the exports past their download period are deleted."""
    return services.supprimer_exports_expires()
