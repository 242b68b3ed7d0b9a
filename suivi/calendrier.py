"""A person's calendar: the collective events of their promotions and their pair's meetings."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from binomes.models import Binome, StatutBinome
from mentorat.models import Promotion
from mentorat.rules import est_membre_du_comite

from .models import EtatRencontre, Rencontre


@dataclass(frozen=True)
class Evenement:
    uid: str
    date: datetime.date
    titre: str
    collectif: bool


def _promotions(user):
    if est_membre_du_comite(user):
        return Promotion.objects.filter(fin__gte=timezone.localdate() - datetime.timedelta(days=365))
    return Promotion.objects.filter(binomes__in=Binome.objects.de_l_utilisateur(user)).distinct()


def evenements_de(user) -> list[Evenement]:
    """The events of `user`'s calendar in date order: two queries whatever their number."""
    evenements = [
        Evenement(f"promotion-{p.pk}-{i}@mentorat", jour, f"{libelle} — {p}", True)
        for p in _promotions(user)
        for i, (jour, libelle) in enumerate(p.evenements())
    ]
    rencontres = Rencontre.objects.filter(
        binome__in=Binome.objects.de_l_utilisateur(user).exclude(statut=StatutBinome.PROPOSE)
    )
    for r in rencontres:
        etat = _("tenue") if r.etat == EtatRencontre.TENUE else _("prévue")
        evenements.append(
            Evenement(f"rencontre-{r.pk}@mentorat", r.date, _("Rencontre de mentorat (%s)") % etat, False)
        )
    return sorted(evenements, key=lambda e: e.date)


def ics_de(user) -> bytes:
    """The personal iCalendar feed: all-day events, stable UIDs so that calendars update them."""
    agenda = Calendar()
    agenda.add("prodid", "-//CNG//Mentorat//FR")
    agenda.add("version", "2.0")
    agenda.add("x-wr-calname", _("Mentorat — mon calendrier"))
    horodatage = timezone.now()
    for evenement in evenements_de(user):
        vevent = Event()
        vevent.add("uid", evenement.uid)
        vevent.add("dtstamp", horodatage)
        vevent.add("dtstart", evenement.date)
        vevent.add("dtend", evenement.date + datetime.timedelta(days=1))
        vevent.add("summary", evenement.titre)
        agenda.add_component(vevent)
    return agenda.to_ical()
