"""The tracking figures of the programme dashboard: the 8-week rhythm, meetings per month, reminders.

Each function is one query, whatever the number of pairs and meetings: the rhythm at each date is a
conditional count over the pairs, each test an `EXISTS` served by the (binome, date) unique index.
"""

import calendar
import datetime
from collections import Counter

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from binomes.models import Binome, StatutBinome
from mentorat.models import Promotion

from .models import EtatRencontre, Rappel, Rencontre


def ajouter_mois(jour: datetime.date, mois: int) -> datetime.date:
    """The same day `mois` months later, the month's last day where it has no such day (31 January → 28 February)."""
    annee, rang = divmod(jour.month - 1 + mois, 12)
    annee += jour.year
    return jour.replace(year=annee, month=rang + 1, day=min(jour.day, calendar.monthrange(annee, rang + 1)[1]))


def jours_de_mesure(promotion: Promotion, aujourd_hui: datetime.date) -> list[datetime.date]:
    """The days the rhythm is measured on: the same day of each month from the launch, to the bilan day or today."""
    fin = min(aujourd_hui, promotion.journee_bilan)
    jours, rang = [], 1
    while (jour := ajouter_mois(promotion.journee_lancement, rang)) <= fin:
        jours.append(jour)
        rang += 1
    if fin >= promotion.journee_lancement and (not jours or jours[-1] != fin):
        jours.append(fin)
    return jours


def _dans_les_temps(promotion: Promotion, jour: datetime.date) -> Q:
    """Pairs that held a meeting at most `ecart_max` before `jour` (or whose launch day is that recent): those the
    tracking dashboard does not mark « écart dépassé » (`suivi.tableau.vigilance`)."""
    debut = jour - promotion.ecart_max
    if promotion.journee_lancement >= debut:
        return Q()
    recente = Rencontre.objects.filter(binome=OuterRef("pk"), etat=EtatRencontre.TENUE, date__gte=debut, date__lte=jour)
    return Q(Exists(recente))


def _suivis(jour: datetime.date) -> Q:
    """Pairs formed and still meeting on `jour`: not stopped on or before it."""
    return Q(date_arret__isnull=True) | Q(date_arret__gt=jour)


def rythme(promotion: Promotion, aujourd_hui: datetime.date) -> list[tuple[datetime.date, int, int]]:
    """(day, pairs within the rhythm, pairs followed) on each of `jours_de_mesure` (one query)."""
    jours = jours_de_mesure(promotion, aujourd_hui)
    if not jours:
        return []
    comptes = {}
    for rang, jour in enumerate(jours):
        comptes[f"suivis_{rang}"] = Count("pk", filter=_suivis(jour))
        comptes[f"temps_{rang}"] = Count("pk", filter=_suivis(jour) & _dans_les_temps(promotion, jour))
    totaux = Binome.objects.filter(promotion=promotion).exclude(statut=StatutBinome.PROPOSE).aggregate(**comptes)
    return [(jour, totaux[f"temps_{rang}"], totaux[f"suivis_{rang}"]) for rang, jour in enumerate(jours)]


def rythme_des_promotions(promotions: list[Promotion], aujourd_hui: datetime.date) -> dict[int, tuple[int, int]]:
    """{promotion id: (pairs within the rhythm today, pairs meeting)} for promotions whose year runs (one query)."""
    if not promotions:
        return {}
    comptes = {}
    for promotion in promotions:
        jour = min(aujourd_hui, promotion.fin)
        de_la_promotion = Q(promotion=promotion, statut__in=StatutBinome.qui_se_rencontrent())
        comptes[f"suivis_{promotion.pk}"] = Count("pk", filter=de_la_promotion)
        comptes[f"temps_{promotion.pk}"] = Count("pk", filter=de_la_promotion & _dans_les_temps(promotion, jour))
    totaux = Binome.objects.filter(promotion__in=promotions).aggregate(**comptes)
    return {p.pk: (totaux[f"temps_{p.pk}"], totaux[f"suivis_{p.pk}"]) for p in promotions}


def rencontres_par_mois(promotion: Promotion) -> list[tuple[datetime.date, int]]:
    """(first day of the month, meetings held) for the pairs of `promotion`, months in order (one query)."""
    lignes = (
        Rencontre.objects.filter(binome__promotion=promotion, etat=EtatRencontre.TENUE)
        .annotate(mois=TruncMonth("date"))
        .order_by()
        .values("mois")
        .annotate(n=Count("pk"))
        .order_by("mois")
    )
    return [(ligne["mois"], ligne["n"]) for ligne in lignes]


def rencontres_par_promotion() -> Counter[int]:
    """Promotion id → meetings held by its pairs (one query)."""
    lignes = (
        Rencontre.objects.filter(etat=EtatRencontre.TENUE)
        .order_by()
        .values("binome__promotion")
        .annotate(n=Count("pk"))
    )
    return Counter({ligne["binome__promotion"]: ligne["n"] for ligne in lignes})


def rappels(promotion: Promotion) -> Counter[str]:
    """Reminder type → reminders sent to the pairs of `promotion` (one query). Engineers only."""
    lignes = (
        Rappel.objects.filter(binome__promotion=promotion, envoye_le__isnull=False)
        .order_by()
        .values("type")
        .annotate(n=Count("pk"))
    )
    return Counter({ligne["type"]: ligne["n"] for ligne in lignes})
