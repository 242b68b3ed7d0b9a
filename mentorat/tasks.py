"""Celery tasks of the outbox: thin, they take ids and call `mentorat.courriels`."""

from celery import shared_task

from . import courriels, surveillance
from .emails import TacheEnvoi


@shared_task(base=TacheEnvoi)
def envoyer_courriel(courriel_id: int) -> bool:
    return courriels.envoyer_courriel(courriel_id=courriel_id)


@shared_task(base=TacheEnvoi)
def balayer_courriels() -> int:
    """Every few minutes (beat): enqueue every outbox row that is due and held by no one."""
    return courriels.balayer()


@shared_task(base=TacheEnvoi)
def resumer_les_echecs() -> int:
    """Daily (beat): the committee's digest of the e-mails given up in the last day, when there are any."""
    return surveillance.resumer_les_echecs()
