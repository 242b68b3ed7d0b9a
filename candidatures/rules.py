"""Who may do what with an application: named predicates, used by views and templates alike."""

from mentorat.rules import est_ingenieur, est_membre_du_comite

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


def peut_retirer_candidature(user, candidature: Candidature) -> bool:
    """The applicant withdraws until the deadline; retained or waiting, they may stand down until the launch day."""
    return peut_modifier_candidature(user, candidature) or (
        peut_voir_candidature(user, candidature) and candidature.peut_se_desister()
    )


def peut_gerer_les_places(user) -> bool:
    """The places and the waiting list are the committee's (pilot and engineers)."""
    return user.is_authenticated and est_membre_du_comite(user)


def peut_noter_orientation_suivie(user) -> bool:
    """The engineers, who organise coaching and workshops, record whether an orientation was taken up."""
    return user.is_authenticated and est_ingenieur(user)


def peut_exporter_les_candidatures(user) -> bool:
    """The applications' export is the committee's (pilot and engineers), who read them in the admin; an XLSX
    produced in the background is downloaded by them only."""
    return user.is_authenticated and est_membre_du_comite(user)
