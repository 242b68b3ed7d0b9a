"""Celery tasks of personal-data rights: thin, they call a service."""

from celery import shared_task

from mentorat.emails import TacheCourriel


@shared_task
def lister_expirations() -> int:
    """Daily: list what has reached its retention limit (`services.lister_expirations`)."""
    from . import services

    return services.lister_expirations()


@shared_task
def anonymiser_approuvees() -> int:
    """After the pilot's approval: anonymise what was approved (`services.anonymiser_approuvees`)."""
    from . import services

    return services.anonymiser_approuvees()


@shared_task(base=TacheCourriel)
def annoncer_effacement(adresse: str) -> None:
    from . import courriels

    courriels.envoyer_effacement_accepte(adresse=adresse)


@shared_task(base=TacheCourriel)
def annoncer_refus(demande_id: int) -> None:
    from . import courriels

    courriels.envoyer_effacement_refuse(demande_id=demande_id)


@shared_task(base=TacheCourriel)
def prevenir_ingenieurs(demande_id: int) -> None:
    from . import courriels

    courriels.envoyer_nouvelle_demande(demande_id=demande_id)
