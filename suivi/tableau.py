"""The tracking table of a pair and its summary on the dashboard, from meetings already loaded.

No query here: callers load the pairs with their meetings (`prefetch_related`),
so that a page costs the same number of queries for 1 or 500 pairs.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, DurationField, ExpressionWrapper, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext_lazy as _

from binomes.models import Binome, StatutBinome

from . import frise, rappels
from .models import EtatRencontre, Rencontre


class Vigilance(models.TextChoices):
    """How a pair is doing, for the dashboard (computed, never stored), from the most urgent."""

    ARRET_DEMANDE = "arret_demande", _("Arrêt demandé")
    NON_CONFIRME = "non_confirme", _("Non confirmé")
    DEPASSE = "depasse", _("Écart dépassé")
    A_SURVEILLER = "surveiller", _("À surveiller")
    A_JOUR = "a_jour", _("Dans les temps")
    TERMINE = "termine", _("Terminé")
    ARRETE = "arrete", _("Arrêté")


BADGES = {
    Vigilance.ARRET_DEMANDE: "fr-badge--error",
    Vigilance.NON_CONFIRME: "fr-badge--warning",
    Vigilance.DEPASSE: "fr-badge--error",
    Vigilance.A_SURVEILLER: "fr-badge--warning",
    Vigilance.A_JOUR: "fr-badge--success",
    Vigilance.TERMINE: "fr-badge--info",
    Vigilance.ARRETE: "fr-badge--new",
}
URGENCE = list(Vigilance)


@dataclass
class Ligne:
    rencontre: Rencontre
    ecart: int | None  # days since the previous held meeting, for held ones
    depasse: bool
    a_confirmer: bool


@dataclass
class Tableau:
    binome: Binome
    lignes: list[Ligne]
    derniere: datetime.date | None
    nombre: int
    plus_long_ecart: int  # between held meetings, or since the last one
    jours_depuis: int
    vigilance: Vigilance
    prochain_evenement: tuple[datetime.date, str] | None
    svg: str = field(repr=False, default="")

    @property
    def badge(self) -> str:
        return BADGES[self.vigilance]

    @property
    def cle_urgence(self):
        return (URGENCE.index(self.vigilance), -self.jours_depuis)


def vigilance(
    jours_depuis: int, statut: str, ecart_max: datetime.timedelta, *, arret_demande: bool = False
) -> Vigilance:
    """Stopped and finished pairs aside; a stop asked and not recorded yet first, then a pair not confirmed;
    then over the limit after `ecart_max`, to watch from six weeks, else on track."""
    if statut == StatutBinome.ARRETE:
        return Vigilance.ARRETE
    if statut == StatutBinome.TERMINE:
        return Vigilance.TERMINE
    if arret_demande:
        return Vigilance.ARRET_DEMANDE
    if statut == StatutBinome.PROPOSE:
        return Vigilance.NON_CONFIRME
    if jours_depuis > ecart_max.days:
        return Vigilance.DEPASSE
    if jours_depuis >= rappels.JOURS_RELANCE:
        return Vigilance.A_SURVEILLER
    return Vigilance.A_JOUR


def fin_du_suivi(binome: Binome, aujourd_hui: datetime.date) -> datetime.date:
    """The day the silence is counted to: today, but no later than the end of the programme or the stop."""
    return min(aujourd_hui, binome.promotion.fin, binome.date_arret or binome.promotion.fin)


def construire(binome: Binome, aujourd_hui: datetime.date, *, avec_frise: bool = False) -> Tableau:
    """The pair's table from `binome.rencontres.all()` (prefetched) and `binome.promotion`."""
    promotion = binome.promotion
    rencontres = sorted(binome.rencontres.all(), key=lambda r: r.date)
    lignes, precedente, plus_long = [], promotion.journee_lancement, 0
    for rencontre in rencontres:
        ecart = None
        if rencontre.est_tenue:
            ecart = (rencontre.date - precedente).days
            plus_long = max(plus_long, ecart)
            precedente = rencontre.date
        depasse = ecart is not None and ecart > promotion.ecart_max.days
        lignes.append(Ligne(rencontre, ecart, depasse, rencontre.a_confirmer(aujourd_hui)))
    tenues = [r.date for r in rencontres if r.est_tenue]
    derniere = tenues[-1] if tenues else None
    jours = max((fin_du_suivi(binome, aujourd_hui) - (derniere or promotion.journee_lancement)).days, 0)
    # The silence still running counts too: a pair that never met has a longest gap all the same.
    plus_long = max(plus_long, jours)
    # A stopped or finished pair has nothing ahead of it.
    evenements = promotion.evenements()
    a_venir = [] if binome.est_clos else [e for e in evenements if e[0] >= aujourd_hui]
    tableau = Tableau(
        binome=binome,
        lignes=lignes,
        derniere=derniere,
        nombre=len(tenues),
        plus_long_ecart=plus_long,
        jours_depuis=jours,
        vigilance=vigilance(jours, binome.statut, promotion.ecart_max, arret_demande=bool(binome.arret_demande_le)),
        prochain_evenement=a_venir[0] if a_venir else None,
    )
    if avec_frise:
        tableau.svg = frise.dessiner(
            debut=promotion.journee_lancement,
            fin=promotion.fin,
            evenements=evenements,
            points=[frise.Point(r.date, r.est_tenue) for r in rencontres],
            aujourd_hui=aujourd_hui,
            ecart_max=promotion.ecart_max,
            arret=binome.date_arret,
            alarme=not binome.est_clos,
        )
    return tableau


def par_urgence(binomes, promotion, aujourd_hui: datetime.date, *, par_sous_requete: bool = False):
    """The pairs of one `promotion` in the dashboard's order, computed by the database so that a page of them
    can be read alone: the same order as `Tableau.cle_urgence` (vigilance, then the longest silence first).
    `rang_urgence` is the index of the pair's `Vigilance` in `URGENCE` (the dashboard filters on it).

    The silence runs from the last held meeting (or the launch day) to today, the end of the programme or the
    stop, whichever comes first, as in `construire`. The last held meeting comes from a join grouped by pair (one
    scan, for every pair of a promotion on the pairs' table alone); `par_sous_requete`, from a correlated subquery
    per pair (no GROUP BY: for the few pairs of a page, joined to their people, `page_par_urgence`).
    """
    jour = min(aujourd_hui, promotion.fin)
    derniere_tenue: Subquery | Max
    if par_sous_requete:
        tenues = Rencontre.objects.filter(binome=OuterRef("pk"), etat=EtatRencontre.TENUE).order_by()
        derniere_tenue = Subquery(tenues.values("binome").annotate(d=Max("date")).values("d")[:1])
    else:
        derniere_tenue = Max("rencontres__date", filter=Q(rencontres__etat=EtatRencontre.TENUE))
    derniere = Coalesce(derniere_tenue, Value(promotion.journee_lancement))
    fin = Least(Value(jour), Coalesce(F("date_arret"), Value(promotion.fin)))
    jours = ExpressionWrapper(fin - derniere, output_field=DurationField())
    return binomes.annotate(
        silence=Greatest(jours, Value(datetime.timedelta(0)), output_field=DurationField()),
        rang_urgence=Case(
            When(statut=StatutBinome.ARRETE, then=Value(URGENCE.index(Vigilance.ARRETE))),
            When(statut=StatutBinome.TERMINE, then=Value(URGENCE.index(Vigilance.TERMINE))),
            When(arret_demande_le__isnull=False, then=Value(URGENCE.index(Vigilance.ARRET_DEMANDE))),
            When(statut=StatutBinome.PROPOSE, then=Value(URGENCE.index(Vigilance.NON_CONFIRME))),
            When(silence__gt=promotion.ecart_max, then=Value(URGENCE.index(Vigilance.DEPASSE))),
            When(
                silence__gte=datetime.timedelta(days=rappels.JOURS_RELANCE),
                then=Value(URGENCE.index(Vigilance.A_SURVEILLER)),
            ),
            default=Value(URGENCE.index(Vigilance.A_JOUR)),
        ),
    ).order_by("rang_urgence", "-silence", "pk")


def page_par_urgence(page, promotion, aujourd_hui: datetime.date):
    """The pairs of `page` (a slice of `par_urgence`), in the same order, read again by their ids: the order is
    computed over the promotion's pairs alone, then only the page's pairs are joined to their people and figures
    (the database would otherwise join every pair of the promotion before sorting them). No query of its own."""
    return par_urgence(Binome.objects.filter(pk__in=page.values("pk")), promotion, aujourd_hui, par_sous_requete=True)
