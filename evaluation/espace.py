"""A participant's questionnaires, as their space lists them: open ones to answer, and those answered.

What is shown of an answered questionnaire is that it was answered, never what: the answers themselves are
anonymous (`Reponse` has no path to a person). The link to answer is the one the invitation e-mail carries,
derived from the invitation, so that a lost e-mail costs nothing.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from .models import Campagne, Invitation
from .services import jeton


def est_repondue(invitation: Invitation) -> bool:
    """Whether the participant answered: the invitation's own yes/no, never a look at the responses."""
    return invitation.a_repondu


@dataclass(frozen=True)
class Questionnaire:
    campagne: Campagne
    lien: str  # where to answer; empty once answered or closed


@dataclass(frozen=True)
class MesQuestionnaires:
    ouverts: list[Questionnaire]
    repondus: list[Questionnaire]
    # The next time one of them opens or closes (None: none will): the list shown changes then.
    prochain_changement: datetime.datetime | None = None

    def __bool__(self) -> bool:
        return bool(self.ouverts or self.repondus)


def questionnaires_de(utilisateur, maintenant: datetime.datetime | None = None) -> MesQuestionnaires:
    """The participant's open questionnaires (with the link to answer) and the answered ones (one query)."""
    maintenant = maintenant or timezone.now()
    invitations = (
        Invitation.objects.filter(utilisateur=utilisateur)
        # The campaign's type and dates only: its promotion (thirty columns) is not shown.
        .select_related("campagne")
        .order_by("-campagne__ouverture")
    )
    ouverts, repondus, changements = [], [], []
    for invitation in invitations:
        campagne = invitation.campagne
        if est_repondue(invitation):
            repondus.append(Questionnaire(campagne, ""))
            continue
        if campagne.est_ouverte(maintenant):
            ouverts.append(Questionnaire(campagne, reverse("evaluation:questionnaire", args=[jeton(invitation)])))
        changements += [moment for moment in (campagne.ouverture, campagne.fermeture) if moment > maintenant]
    return MesQuestionnaires(ouverts, repondus, min(changements, default=None))
