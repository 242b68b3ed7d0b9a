"""How long personal data is kept: the limits of the privacy page, as plain functions over dates.

The periods are settings (`CONSERVATION_*`). An application that led to no pair is kept N years after its
promotion's closing; a pair member's application and account, N years after the promotion's bilan day (the pair's
history stays, anonymised); the audit journal's entries, N days.
"""

import calendar
import datetime

from django.conf import settings


def plus_annees(jour: datetime.date, annees: int) -> datetime.date:
    """The same day `annees` later (or earlier, when negative); 29 February becomes 28 February."""
    annee = jour.year + annees
    fevrier_court = jour.month == 2 and jour.day == 29 and not calendar.isleap(annee)
    return jour.replace(year=annee, day=28 if fevrier_court else jour.day)


def echeance_candidature(cloture: datetime.date) -> datetime.date:
    """The last day an application without a pair is kept: N years after its promotion's closing day."""
    return plus_annees(cloture, settings.CONSERVATION_CANDIDATURES_ANNEES)


def echeance_participation(journee_bilan: datetime.date) -> datetime.date:
    """The last day a pair member's data is kept: N years after the promotion's bilan day."""
    return plus_annees(journee_bilan, settings.CONSERVATION_PARTICIPANTS_ANNEES)


def cloture_expiree_avant(aujourd_hui: datetime.date) -> datetime.date:
    """Applications without a pair whose promotion closed on or before this day have reached their limit."""
    return plus_annees(aujourd_hui, -settings.CONSERVATION_CANDIDATURES_ANNEES)


def bilan_expire_avant(aujourd_hui: datetime.date) -> datetime.date:
    """Pair members whose promotion's bilan day is on or before this day have reached their limit."""
    return plus_annees(aujourd_hui, -settings.CONSERVATION_PARTICIPANTS_ANNEES)


def limite_du_journal(maintenant: datetime.datetime) -> datetime.datetime:
    """Journal entries before this instant have reached their limit."""
    return maintenant - datetime.timedelta(days=settings.CONSERVATION_JOURNAL_JOURS)


def durees() -> dict[str, int | bool]:
    """The periods as the privacy page and the person's data page state them."""
    return {
        "candidatures_annees": settings.CONSERVATION_CANDIDATURES_ANNEES,
        "participants_annees": settings.CONSERVATION_PARTICIPANTS_ANNEES,
        "journal_jours": settings.CONSERVATION_JOURNAL_JOURS,
        "purge_automatique": settings.PURGE_AUTOMATIQUE,
    }
