"""Celery tasks of the pairs: thin, they take ids and call a service."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def activer_binomes() -> int:
    """Daily: confirmed pairs whose launch day has come become active."""
    return services.activer_binomes(aujourd_hui=timezone.localdate())


@shared_task
def terminer_binomes() -> int:
    """Daily: on the bilan day, the pairs still meeting become « terminé »."""
    return services.terminer_binomes(aujourd_hui=timezone.localdate())


@shared_task
def signaler_non_confirmes() -> int:
    """Daily: pairs unconfirmed two weeks after the launch day are flagged to their referent."""
    return len(services.signaler_non_confirmes(aujourd_hui=timezone.localdate()))
