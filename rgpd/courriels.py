"""The e-mails of personal-data rights, one function each (sent from `rgpd.tasks`)."""

from mentorat import emails
from mentorat.models import Utilisateur

from .models import DemandeEffacement


def envoyer_effacement_accepte(*, adresse: str) -> None:
    """Tell the person their data was erased; `adresse` is their former address (no longer in the database)."""
    emails.envoyer("rgpd-effacement-accepte", [adresse], {})


def envoyer_effacement_refuse(*, demande_id: int) -> None:
    """Tell the person why their erasure request was refused, and that they may complain to the CNIL."""
    demande = DemandeEffacement.objects.select_related("utilisateur").get(pk=demande_id)
    emails.envoyer("rgpd-effacement-refuse", [demande.utilisateur.email], {"demande": demande})


def envoyer_nouvelle_demande(*, demande_id: int) -> None:
    """Tell the engineers that an erasure request awaits them. No name in it: mailboxes outlive an erasure."""
    demande = DemandeEffacement.objects.get(pk=demande_id)
    adresses = list(Utilisateur.objects.ingenieurs().order_by("email").values_list("email", flat=True))
    if adresses:
        emails.envoyer("rgpd-nouvelle-demande", adresses, {"demande": demande})
