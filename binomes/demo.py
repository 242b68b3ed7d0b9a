"""Demo pairs, built through the same services as the committee's screens and the pair's space.

- `monde.en_cours`: every retained candidate paired (proposal, then validation by the pilot); both members
  of each pair signed and confirmed at the launch day, so most pairs are active; one pair confirmed the day
  before the launch (the promotion opened the confirmation a week early), still `confirme` until the daily
  activation runs; one pair stopped early, with its reason, invited to the end-of-pair questionnaire.
- `monde.terminee`: its pairs, confirmed at its launch day, finished at its bilan day (« terminé »).
- `monde.courante`: a draft proposal for its retained candidates, not validated.
Idempotent: a promotion that already has pairs (or a draft) is left as it is.
"""

import datetime

from django.utils import timezone

from mentorat.demo import Monde

from . import services
from .models import Binome, MotifArret, Proposition


def _au_lancement(binome: Binome, jours_avant: int = 0) -> datetime.datetime:
    jour = binome.promotion.journee_lancement - datetime.timedelta(days=jours_avant)
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(11, 0)))


def _engager(binome: Binome, le: datetime.datetime) -> None:
    for membre in binome.membres():
        services.signer_charte(binome=binome, utilisateur=membre, le=le)
        services.confirmer_engagement(binome=binome, utilisateur=membre, le=le)


def _former_les_binomes(monde: Monde) -> None:
    promotion = monde.en_cours
    if Binome.objects.filter(promotion=promotion).exists():
        return
    proposition = services.proposer_appariement(promotion=promotion, par=monde.pilote)
    if not proposition.lignes.exists():
        proposition.delete()
        return
    binomes = services.valider_proposition(
        proposition=proposition, par=monde.pilote, motif="Proposition du calcul retenue après revue en comité."
    )
    binomes = list(
        Binome.objects.filter(pk__in=[b.pk for b in binomes]).select_related(
            "promotion", "mentor__utilisateur", "mentore__utilisateur", "referent"
        )
    )
    for rang, binome in enumerate(binomes):
        _engager(binome, _au_lancement(binome, jours_avant=1 if rang == 1 and len(binomes) > 2 else 0))
    if len(binomes) > 2:
        arrete = binomes[2]
        services.demander_arret(binome=arrete, par=arrete.mentore.utilisateur, motif=MotifArret.CHANGEMENT_POSTE)
        services.enregistrer_arret(
            binome=arrete,
            par=arrete.referent,
            date=monde.aujourd_hui - datetime.timedelta(days=20),
            motif=MotifArret.CHANGEMENT_POSTE,
            sans_derniere_rencontre="Nouveau poste pris sans délai ; le binôme a échangé par téléphone.",
        )


def _annee_terminee(monde: Monde) -> None:
    """The finished promotion: pairs formed, confirmed together at its launch day, finished at its bilan day
    (as the daily job did on that day)."""
    promotion = monde.terminee
    if promotion is None or Binome.objects.filter(promotion=promotion).exists():
        return
    proposition = services.proposer_appariement(promotion=promotion, par=monde.pilote)
    if not proposition.lignes.exists():
        proposition.delete()
        return
    binomes = services.valider_proposition(
        proposition=proposition, par=monde.pilote, motif="Proposition du calcul retenue après revue en comité."
    )
    for binome in Binome.objects.filter(pk__in=[b.pk for b in binomes]).select_related(
        "promotion", "mentor__utilisateur", "mentore__utilisateur"
    ):
        _engager(binome, _au_lancement(binome))
    services.terminer_binomes(aujourd_hui=promotion.journee_bilan)


def _brouillon_de_la_promotion_courante(monde: Monde) -> None:
    promotion = monde.courante
    if Binome.objects.filter(promotion=promotion).exists() or Proposition.objects.filter(promotion=promotion).exists():
        return
    proposition = services.proposer_appariement(promotion=promotion, par=monde.pilote)
    if not proposition.lignes.exists():
        proposition.delete()


def peupler(monde: Monde) -> None:
    _annee_terminee(monde)
    _former_les_binomes(monde)
    _brouillon_de_la_promotion_courante(monde)
