"""A person's calendar: the collective events of their promotions and their pair's meetings."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from binomes.models import Binome, StatutBinome
from mentorat.emails import PieceJointe, pieces_jointes
from mentorat.models import Promotion
from mentorat.rules import est_membre_du_comite

from .models import EtatRencontre, EvenementCollectif, Rencontre, TypeEvenement

# Calendars remind of a collective time the day before (a meeting of the pair is the pair's own business).
RAPPEL_AVANT = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Evenement:
    uid: str
    date: datetime.date
    titre: str
    collectif: bool
    # A collective time the committee has scheduled: its hours, place or video link, programme.
    debut: datetime.datetime | None = None
    fin: datetime.datetime | None = None
    lieu: str = ""
    url: str = ""
    description: str = ""


def _evenement_collectif(uid: str, evenement: EvenementCollectif, titre: str) -> Evenement:
    return Evenement(
        uid,
        timezone.localdate(evenement.debut),
        titre,
        True,
        debut=evenement.debut,
        fin=evenement.fin,
        lieu=evenement.lieu or evenement.lien_visio,
        url=evenement.lien_visio,
        description=evenement.programme,
    )


def _collectifs(promotion) -> list[Evenement]:
    """The promotion's three collective times: scheduled ones with their hours, the others as all-day dates."""
    programmes = {e.type: e for e in promotion.evenements_collectifs.all()}
    resultat = []
    for i, ((jour, libelle), type_) in enumerate(zip(promotion.evenements(), TypeEvenement, strict=True)):
        uid, titre = f"promotion-{promotion.pk}-{i}@mentorat", f"{libelle} — {promotion}"
        if type_ in programmes:
            resultat.append(_evenement_collectif(uid, programmes[type_], titre))
        else:
            resultat.append(Evenement(uid, jour, titre, True))
    return resultat


def _promotions(user):
    if est_membre_du_comite(user):
        return Promotion.objects.filter(fin__gte=timezone.localdate() - datetime.timedelta(days=365))
    return Promotion.objects.filter(binomes__in=Binome.objects.de_l_utilisateur(user)).distinct()


def evenements_de(user) -> list[Evenement]:
    """The events of `user`'s calendar in date order: three queries whatever their number."""
    promotions = _promotions(user).prefetch_related(
        Prefetch("evenements_collectifs", queryset=EvenementCollectif.objects.order_by())
    )
    evenements = [e for p in promotions for e in _collectifs(p)]
    rencontres = Rencontre.objects.filter(
        binome__in=Binome.objects.de_l_utilisateur(user).exclude(statut=StatutBinome.PROPOSE)
    )
    for r in rencontres:
        etat = _("tenue") if r.etat == EtatRencontre.TENUE else _("prévue")
        evenements.append(
            Evenement(f"rencontre-{r.pk}@mentorat", r.date, _("Rencontre de mentorat (%s)") % etat, False)
        )
    return sorted(evenements, key=lambda e: e.date)


def _agenda(**proprietes: str) -> Calendar:
    agenda = Calendar()
    agenda.add("prodid", "-//CNG//Mentorat//FR")
    agenda.add("version", "2.0")
    for nom, valeur in proprietes.items():
        agenda.add(nom.replace("_", "-"), valeur)
    return agenda


def _vevent(evenement: Evenement, horodatage: datetime.datetime) -> Event:
    """A VEVENT: a scheduled collective time at its Paris hours with its place and a reminder the day before;
    any other date as an all-day event."""
    vevent = Event()
    vevent.add("uid", evenement.uid)
    vevent.add("dtstamp", horodatage)
    vevent.add("summary", evenement.titre)
    if evenement.debut is None or evenement.fin is None:
        vevent.add("dtstart", evenement.date)
        vevent.add("dtend", evenement.date + datetime.timedelta(days=1))
        return vevent
    paris = ZoneInfo(settings.TIME_ZONE)
    vevent.add("dtstart", evenement.debut.astimezone(paris))
    vevent.add("dtend", evenement.fin.astimezone(paris))
    if evenement.lieu:
        vevent.add("location", evenement.lieu)
    if evenement.url:
        vevent.add("url", evenement.url)
    if evenement.description:
        vevent.add("description", evenement.description)
    alarme = Alarm()
    alarme.add("action", "DISPLAY")
    alarme.add("description", evenement.titre)
    alarme.add("trigger", -RAPPEL_AVANT)
    vevent.add_component(alarme)
    return vevent


def ics_de(user) -> bytes:
    """The personal iCalendar feed: stable UIDs so that calendars update the events; collective times with their
    hours (Europe/Paris, with its VTIMEZONE), place or video link, programme and a reminder the day before."""
    agenda = _agenda(x_wr_calname=_("Mentorat — mon calendrier"))
    horodatage = timezone.now()
    for evenement in evenements_de(user):
        agenda.add_component(_vevent(evenement, horodatage))
    agenda.add_missing_timezones()
    return agenda.to_ical()


def ics_invitation(evenement: EvenementCollectif) -> bytes:
    """The invitation's attachment: the one collective time, published (METHOD:PUBLISH: added to a calendar, no
    answer expected by e-mail), with the UID the personal feed gives it."""
    agenda = _agenda(method="PUBLISH")
    libelle = dict(zip(TypeEvenement, (lib for _jour, lib in evenement.promotion.evenements()), strict=True))
    titre = f"{libelle[TypeEvenement(evenement.type)]} — {evenement.promotion}"
    agenda.add_component(_vevent(_evenement_collectif(evenement.uid, evenement, titre), timezone.now()))
    agenda.add_missing_timezones()
    return agenda.to_ical()


@pieces_jointes("evenement-invitation")
def _invitation(contexte: dict) -> list[PieceJointe]:
    return [("invitation.ics", ics_invitation(contexte["evenement"]).decode(), "text/calendar")]
