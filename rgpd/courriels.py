"""The e-mails of personal-data rights, one function each (sent from `rgpd.tasks`)."""

from mentorat import emails

from .models import DemandeEffacement


def envoyer_effacement_accepte(*, adresse: str) -> None:
    """Tell the person their data was erased; `adresse` is their former address (no longer in the database)."""
    emails.envoyer("rgpd-effacement-accepte", [adresse], {})


def envoyer_effacement_refuse(*, demande_id: int) -> None:
    """Tell the person why their erasure request was refused, and that they may complain to the CNIL."""
    demande = DemandeEffacement.objects.select_related("utilisateur").get(pk=demande_id)
    emails.envoyer("rgpd-effacement-refuse", [demande.utilisateur.email], {"demande": demande})
