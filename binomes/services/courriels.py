"""The pairs' e-mails, one per Celery task (so that a retry never sends twice what already left)."""

from django.db import transaction

from candidatures.models import Candidature, Statut
from mentorat import emails

from ..models import AnnonceSansBinome, Binome


def _binome_complet(binome_id: int) -> Binome:
    return Binome.objects.select_related(
        "promotion", "referent", "mentor__utilisateur", "mentore__utilisateur", "arret_demande_par"
    ).get(pk=binome_id)


def envoyer_presentation(*, binome_id: int, candidature_id: int) -> None:
    """E-mail one member (one e-mail per task, so a retry never sends twice): the other, the referent, launch day."""
    binome = _binome_complet(binome_id)
    moi, autre = (
        (binome.mentor, binome.mentore) if binome.mentor_id == candidature_id else (binome.mentore, binome.mentor)
    )
    emails.envoyer(
        "binome-presentation",
        [moi.utilisateur.email],
        {"binome": binome, "moi": moi, "autre": autre, "promotion": binome.promotion, "referent": binome.referent},
    )


def envoyer_sans_binome(*, candidature_id: int) -> None:
    """Tell a retained candidate left without a pair, once: a second validation round does not repeat it."""
    candidature = Candidature.objects.select_related("utilisateur", "promotion").get(pk=candidature_id)
    if not Candidature.objects.filter(pk=candidature.pk, statut=Statut.RETENUE).sans_binome().exists():
        return
    with transaction.atomic():
        # The claim and the sending commit together: an SMTP error rolls the claim back and the retry sends.
        _annonce, nouvelle = AnnonceSansBinome.objects.get_or_create(candidature=candidature)
        if nouvelle:
            emails.envoyer("binome-sans-binome", [candidature.utilisateur.email], {"candidature": candidature})


def envoyer_demande_arret(*, binome_id: int) -> None:
    """E-mail the referent that a member asks to stop the pair."""
    binome = _binome_complet(binome_id)
    emails.envoyer("binome-demande-arret", [binome.referent.email], {"binome": binome})


def envoyer_derniere_rencontre(*, binome_id: int, utilisateur_id: int) -> None:
    """E-mail one member after a stop request: hold a last meeting, then answer the end-of-pair questionnaire."""
    binome = _binome_complet(binome_id)
    membre = next(m for m in binome.membres() if m.pk == utilisateur_id)
    emails.envoyer(
        "binome-derniere-rencontre",
        [membre.email],
        {"binome": binome, "membre": membre, "demandeur": membre.pk == binome.arret_demande_par_id},
    )


def envoyer_arret_enregistre(*, binome_id: int, utilisateur_id: int) -> None:
    """E-mail one member that the referent recorded the stop: its date, and the end-of-pair questionnaire to come."""
    binome = _binome_complet(binome_id)
    membre = next(m for m in binome.membres() if m.pk == utilisateur_id)
    emails.envoyer("binome-arret-enregistre", [membre.email], {"binome": binome, "membre": membre})


def envoyer_non_confirme(*, binome_id: int) -> None:
    """E-mail the referent that the pair has not confirmed two weeks after the launch day."""
    binome = _binome_complet(binome_id)
    emails.envoyer("binome-non-confirme", [binome.referent.email], {"binome": binome, "promotion": binome.promotion})
