"""Celery tasks of the follow-up: thin, they take ids and call a service."""

import smtplib

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def planifier_rappels() -> int:
    """Daily (beat): create the due reminders and enqueue one send per reminder not yet sent."""
    ids = services.creer_rappels_dus(aujourd_hui=timezone.localdate())
    services.envoyer_apres_commit(ids)
    return len(ids)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=6 * 3600,
    retry_jitter=True,
    max_retries=8,
)
def envoyer_rappel(rappel_id: int) -> bool:
    return services.envoyer_rappel(rappel_id=rappel_id)
