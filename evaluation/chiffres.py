"""The questionnaires' response rates for the programme dashboard: one query for every campaign of every promotion."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from .models import Campagne


@dataclass(frozen=True)
class Taux:
    campagne: Campagne
    invitations: int
    reponses: int

    @property
    def pourcentage(self) -> int:
        return round(100 * self.reponses / self.invitations) if self.invitations else 0


def taux_de_reponse() -> dict[int, list[Taux]]:
    """{promotion id: [response rate of each campaign, in the order of the year]} (one query).

    Counted from the invitations' yes/no mark, which carries no time: nothing here dates an answer.
    """
    campagnes = Campagne.objects.annotate(
        nombre_invitations=Count("invitations"),
        nombre_reponses=Count("invitations", filter=Q(invitations__a_repondu=True)),
    ).order_by("promotion", "ouverture")
    par_promotion: dict[int, list[Taux]] = defaultdict(list)
    for campagne in campagnes:
        par_promotion[campagne.promotion_id].append(
            Taux(campagne, campagne.nombre_invitations, campagne.nombre_reponses)
        )
    return par_promotion
