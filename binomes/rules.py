"""Who may see and do what with a pair: named predicates, used by views and templates alike."""

import datetime

from mentorat.rules import est_ingenieur, est_membre_du_comite

from .models import Binome


def est_membre(user, binome: Binome) -> bool:
    """Mentor or mentee of this pair (the applications are loaded with the pair)."""
    return user.is_authenticated and user.pk in (binome.mentor.utilisateur_id, binome.mentore.utilisateur_id)


def peut_voir_binome(user, binome: Binome) -> bool:
    """A member of the pair, its referent engineer, or the committee."""
    return user.is_authenticated and (
        est_membre(user, binome) or binome.referent_id == user.pk or est_membre_du_comite(user)
    )


def peut_modifier_objectifs(user, binome: Binome, aujourd_hui: datetime.date) -> bool:
    """The mentee revises the pair's objectives at the start of the year: until the mid-course event, while the pair
    runs. Nobody else changes them, and only the pair sees them."""
    return (
        user.is_authenticated
        and user.pk == binome.mentore.utilisateur_id
        and not binome.est_clos
        and aujourd_hui < binome.promotion.evenement_mi_parcours
    )


def peut_enregistrer_arret(user, binome: Binome) -> bool:
    """The engineers (the pair's referent first) record an early stop of a pair still running, from its tracking
    page: they see its meetings, which the stop closes on. The pilot, who does not see tracking tables, does not."""
    return not binome.est_clos and est_ingenieur(user)


def peut_apparier(user) -> bool:
    """The matching screens are the committee's."""
    return user.is_authenticated and user.is_staff and est_membre_du_comite(user)
