"""Who may see what in the evaluation: named predicates, used by views and templates.

Unpublished syntheses and free-text answers are for the mentoring engineers only
(the pilot, like participants, sees the synthesis once published).
"""

from mentorat.rules import est_ingenieur, est_membre_du_comite

from .models import Campagne


def peut_lister_campagnes(user) -> bool:
    return est_membre_du_comite(user)


def est_participant(user, campagne: Campagne) -> bool:
    return user.is_authenticated and campagne.invitations.filter(utilisateur=user).exists()


def peut_voir_synthese(user, campagne: Campagne) -> bool:
    if est_ingenieur(user):
        return True
    return campagne.est_publiee and (est_membre_du_comite(user) or est_participant(user, campagne))


def peut_rediger_synthese(user, campagne: Campagne) -> bool:
    return est_ingenieur(user)


def peut_lire_verbatims(user) -> bool:
    return est_ingenieur(user)
