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


@shared_task
def inviter_fin_de_binome(binome_id: int) -> int:
    """After a stop is recorded: the pair is invited to the end-of-pair questionnaire at once."""
    return len(services.inviter_fin_de_binome(binome_id=binome_id))
