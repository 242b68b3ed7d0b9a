"""Celery tasks of the applications: thin, they take ids and call a service."""

import smtplib

from celery import shared_task

from . import services

REESSAIS = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 6 * 3600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**REESSAIS)
def envoyer_accuse_reception(candidature_id: int) -> None:
    services.envoyer_accuse_reception(candidature_id=candidature_id)


@shared_task(**REESSAIS)
def envoyer_confirmation_email(utilisateur_id: int) -> None:
    services.envoyer_confirmation_email(utilisateur_id=utilisateur_id)


@shared_task(**REESSAIS)
def notifier_statut(candidature_id: int) -> None:
    services.notifier_statut(candidature_id=candidature_id)
