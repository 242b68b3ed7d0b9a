"""Celery tasks of the evaluation: thin, they take ids and call a service."""

from celery import shared_task

from mentorat.emails import TacheEnvoi

from . import services


@shared_task
def planifier_envois() -> int:
    """Daily (beat): invite the participants of open campaigns, then remind those who have not answered."""
    ids = services.preparer_envois()
    services.envoyer_apres_commit(ids)
    return len(ids)


@shared_task(base=TacheEnvoi)
def envoyer_envoi(envoi_id: int) -> bool:
    return services.envoyer(envoi_id=envoi_id)
