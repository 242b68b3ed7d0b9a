"""Celery tasks of the applications: thin, they take ids and call a service."""

from celery import shared_task

from mentorat.emails import TacheCourriel

from . import services


@shared_task(base=TacheCourriel)
def envoyer_accuse_reception(candidature_id: int) -> None:
    services.envoyer_accuse_reception(candidature_id=candidature_id)


@shared_task(base=TacheCourriel)
def envoyer_confirmation_email(utilisateur_id: int) -> None:
    services.envoyer_confirmation_email(utilisateur_id=utilisateur_id)


@shared_task(base=TacheCourriel)
def notifier_statut(candidature_id: int) -> None:
    services.notifier_statut(candidature_id=candidature_id)
