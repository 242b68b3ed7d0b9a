"""Who may see and change what in the follow-up of the pairs: named predicates."""

from binomes.models import Binome, StatutBinome
from binomes.rules import est_membre
from mentorat.rules import est_ingenieur


def peut_voir_suivi(user, binome: Binome) -> bool:
    """The pair itself and the engineers see its tracking table; nobody else.

    The programme's guide reserves the tracking tables to the engineers: the pilot,
    although a committee member, does not see them.
    """
    return est_membre(user, binome) or est_ingenieur(user)


def peut_noter_rencontres(user, binome: Binome) -> bool:
    """Either member logs, edits and transmits while the pair is confirmed or active."""
    return est_membre(user, binome) and binome.statut in StatutBinome.qui_se_rencontrent()


def peut_suivre_les_binomes(user) -> bool:
    """The engineers' dashboard (every pair's tracking table): engineers only."""
    return est_ingenieur(user)


def peut_exporter_les_tableaux(user) -> bool:
    """CSV and PDF exports of a promotion's tracking tables: the engineers."""
    return est_ingenieur(user)


def peut_transmettre(user, binome: Binome) -> bool:
    """Either member sends the tracking table while the pair meets, and once its year is over: the final
    transmission follows the bilan day. A stopped pair's table stays as it was."""
    return est_membre(user, binome) and binome.statut in {*StatutBinome.qui_se_rencontrent(), StatutBinome.TERMINE}


def peut_telecharger_export(user, export) -> bool:
    """An export produced in the background: those who may download that document today, while they may (for the
    tracking tables, the engineers: not even its requester once no longer one); nobody else."""
    from .exports_differes import genre

    return genre(export).peut_telecharger(user, export)
