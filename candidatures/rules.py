"""Who may do what with an application: named predicates, used by views and templates alike."""

from .models import Candidature, Statut


def peut_voir_candidature(user, candidature: Candidature) -> bool:
    """The applicant sees their own application; the committee reads them in the admin."""
    return user.is_authenticated and candidature.utilisateur_id == user.pk


def peut_modifier_candidature(user, candidature: Candidature) -> bool:
    """The applicant edits or withdraws until the deadline, unless already withdrawn."""
    return (
        peut_voir_candidature(user, candidature)
        and candidature.statut != Statut.RETIREE
        and candidature.promotion.candidatures_ouvertes()
    )
