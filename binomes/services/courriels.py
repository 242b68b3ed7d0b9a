"""The pairs' e-mails, put in the outbox (`mentorat.courriels`) by the change that causes them."""

from candidatures.models import Candidature
from mentorat import courriels

from ..models import AnnonceSansBinome, Binome


def presenter(binome: Binome) -> None:
    """E-mail each member (one e-mail each): the other, the referent, launch day."""
    for moi, autre in ((binome.mentor, binome.mentore), (binome.mentore, binome.mentor)):
        courriels.mettre_en_file(
            "binome-presentation",
            [moi.utilisateur.email],
            {"binome": binome, "moi": moi, "autre": autre, "promotion": binome.promotion, "referent": binome.referent},
            cle=f"binome-presentation:{binome.pk}:{moi.pk}",
        )


def annoncer_sans_binome(candidature: Candidature) -> None:
    """Tell a retained candidate left without a pair, once: a second validation round does not repeat it."""
    _annonce, nouvelle = AnnonceSansBinome.objects.get_or_create(candidature=candidature)
    if nouvelle:
        courriels.mettre_en_file(
            "binome-sans-binome",
            [candidature.utilisateur.email],
            {"candidature": candidature},
            cle=f"binome-sans-binome:{candidature.pk}",
        )


def prevenir_demande_arret(binome: Binome) -> None:
    """E-mail the referent that a member asks to stop the pair, and each member: hold a last meeting, then
    answer the end-of-pair questionnaire."""
    courriels.mettre_en_file(
        "binome-demande-arret", [binome.referent.email], {"binome": binome}, cle=f"binome-demande-arret:{binome.pk}"
    )
    for membre in binome.membres():
        courriels.mettre_en_file(
            "binome-derniere-rencontre",
            [membre.email],
            {"binome": binome, "membre": membre, "demandeur": membre.pk == binome.arret_demande_par_id},
            cle=f"binome-derniere-rencontre:{binome.pk}:{membre.pk}",
        )


def annoncer_arret(binome: Binome) -> None:
    """E-mail each member that the referent recorded the stop: its date, and the end-of-pair questionnaire to come."""
    for membre in binome.membres():
        courriels.mettre_en_file(
            "binome-arret-enregistre",
            [membre.email],
            {"binome": binome, "membre": membre},
            cle=f"binome-arret-enregistre:{binome.pk}:{membre.pk}",
        )


def signaler_non_confirme(binome: Binome) -> None:
    """E-mail the referent that the pair has not confirmed two weeks after the launch day."""
    courriels.mettre_en_file(
        "binome-non-confirme",
        [binome.referent.email],
        {"binome": binome, "promotion": binome.promotion},
        cle=f"binome-non-confirme:{binome.pk}",
    )
