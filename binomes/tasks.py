"""Celery tasks of the pairs: thin, they take ids and call a service."""

from celery import shared_task
from django.utils import timezone

from mentorat.emails import TacheCourriel

from . import services


@shared_task(base=TacheCourriel)
def presenter_binome(binome_id: int, candidature_id: int) -> None:
    services.envoyer_presentation(binome_id=binome_id, candidature_id=candidature_id)


@shared_task(base=TacheCourriel)
def annoncer_sans_binome(candidature_id: int) -> None:
    services.envoyer_sans_binome(candidature_id=candidature_id)


@shared_task(base=TacheCourriel)
def prevenir_referent_arret(binome_id: int) -> None:
    services.envoyer_demande_arret(binome_id=binome_id)


@shared_task(base=TacheCourriel)
def demander_derniere_rencontre(binome_id: int, utilisateur_id: int) -> None:
    services.envoyer_derniere_rencontre(binome_id=binome_id, utilisateur_id=utilisateur_id)


@shared_task
def activer_binomes() -> int:
    """Daily: confirmed pairs whose launch day has come become active."""
    return services.activer_binomes(aujourd_hui=timezone.localdate())


@shared_task(base=TacheCourriel)
def annoncer_arret(binome_id: int, utilisateur_id: int) -> None:
    services.envoyer_arret_enregistre(binome_id=binome_id, utilisateur_id=utilisateur_id)


@shared_task(base=TacheCourriel)
def signaler_non_confirme(binome_id: int) -> None:
    services.envoyer_non_confirme(binome_id=binome_id)


@shared_task
def terminer_binomes() -> int:
    """Daily: on the bilan day, the pairs still meeting become « terminé »."""
    return services.terminer_binomes(aujourd_hui=timezone.localdate())


@shared_task
def signaler_non_confirmes() -> int:
    """Daily: pairs unconfirmed two weeks after the launch day are flagged to their referent."""
    return len(services.signaler_non_confirmes(aujourd_hui=timezone.localdate()))
