"""Celery tasks of the pairs: thin, they take ids and call a service."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def activer_binomes() -> int:
    """Daily: confirmed pairs whose launch day has come become active."""
    return services.activer_binomes(aujourd_hui=timezone.localdate())
