"""Writes of the binomes app, one module per sub-domain.

- `proposition`: the committee's draft proposal, its manual adjustments and its validation into pairs;
- `exclusions`: the pairs the committee forbids;
- `vie`: the members' commitments, the pair's status (`changer_statut`), an early stop;
- `courriels`: the pairs' e-mails, put in the outbox with the change that causes them.
"""

from ..exceptions import AppariementRefuse, BinomeRefuse
from .exclusions import exclure
from .proposition import (
    ajouter_ligne,
    echanger_mentors,
    modifier_ligne,
    proposer_appariement,
    retirer_ligne,
    valider_proposition,
)
from .vie import (
    ConfirmationPasOuverte,
    activer_binomes,
    changer_referent,
    changer_statut,
    confirmer_engagement,
    demander_arret,
    enregistrer_arret,
    modifier_objectifs,
    signaler_non_confirmes,
    signer_charte,
    terminer_binomes,
)

__all__ = [
    "AppariementRefuse",
    "BinomeRefuse",
    "ConfirmationPasOuverte",
    "activer_binomes",
    "ajouter_ligne",
    "changer_referent",
    "changer_statut",
    "confirmer_engagement",
    "demander_arret",
    "echanger_mentors",
    "enregistrer_arret",
    "exclure",
    "modifier_ligne",
    "modifier_objectifs",
    "proposer_appariement",
    "retirer_ligne",
    "signaler_non_confirmes",
    "signer_charte",
    "terminer_binomes",
    "valider_proposition",
]
