"""A promotion's mentee places and its waiting list.

- `repartir`: the committee retains applications in its order; mentees beyond the free places go on the waiting
  list, in the same order, behind those already waiting;
- `liberer_place` (a pair stopped before the launch day) and a retained mentee leaving « retenue »
  (`services.changer_statut`: withdrawal, not retained any more) free a place; `proposer_places_libres` then
  offers the next people on the list to the committee, which confirms with `retenir_depuis_la_liste`;
- `deplacer`: the committee reorders the list.
The ranks are kept without gaps (1 first) by `services.changer_statut` and `deplacer`, under the promotion's
row lock. Mentors have no places: they are retained as before.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat import courriels, journal
from mentorat.models import Promotion, Utilisateur

from . import services
from .models import Candidature, Role, Statut


@dataclass(frozen=True)
class Places:
    """The promotion's mentee places: `total` None means no limit."""

    total: int | None
    prises: int
    en_attente: int
    proposees: int  # freed places offered to the committee, not yet confirmed

    @property
    def libres(self) -> int | None:
        return None if self.total is None else max(self.total - self.prises, 0)

    @property
    def a_proposer(self) -> int | None:
        """Free places nobody on the list has been offered yet (None: no limit)."""
        return None if self.libres is None else max(self.libres - self.proposees, 0)


def places_de(promotion: Promotion) -> Places:
    """The counts of the promotion's places, in one query."""
    comptes = Candidature.objects.filter(promotion=promotion, role=Role.MENTORE).aggregate(
        prises=Count("pk", filter=Q(statut=Statut.RETENUE, place_liberee_le__isnull=True)),
        en_attente=Count("pk", filter=Q(statut=Statut.LISTE_ATTENTE)),
        proposees=Count("pk", filter=Q(statut=Statut.LISTE_ATTENTE, place_proposee_le__isnull=False)),
    )
    return Places(promotion.places_mentores, comptes["prises"], comptes["en_attente"], comptes["proposees"])


@dataclass
class Repartition:
    retenues: list[Candidature]
    en_attente: list[Candidature]
    refusees: list[Candidature]  # a transition the workflow forbids (already withdrawn, not eligible…)


def repartir(*, promotion: Promotion, candidatures: Iterable[Candidature], par: Utilisateur) -> Repartition:
    """The committee retains `candidatures` (of `promotion`) in this order: mentees while free places remain
    (beyond those already offered to people on the list), the others on the waiting list behind those already
    waiting; mentors are retained (no places). Each through `services.changer_statut`, its own transaction and
    e-mail (retained, or the waiting list with the rank), so one refusal does not undo the others.
    """
    repartition = Repartition([], [], [])
    for candidature in candidatures:
        # Judged on the status recorded, not on the object given (read before another decision, perhaps).
        candidature.refresh_from_db(fields=["statut"])
        if candidature.statut == Statut.RETENUE:
            continue  # already holds a place: never sent back to the list by a new selection
        statut = Statut.RETENUE
        if candidature.role == Role.MENTORE:
            a_proposer = places_de(promotion).a_proposer
            if a_proposer is not None and a_proposer <= 0:
                statut = Statut.LISTE_ATTENTE
        if candidature.statut == statut:
            continue
        try:
            candidature = services.changer_statut(candidature=candidature, statut=statut, par=par)
        except services.CandidatureRefusee:
            repartition.refusees.append(candidature)
            continue
        (repartition.retenues if statut == Statut.RETENUE else repartition.en_attente).append(candidature)
    return repartition


def proposer_places_libres(*, promotion: Promotion, par: Utilisateur | None) -> list[Candidature]:
    """Offer to the committee, from the top of the waiting list, as many people as there are free places not yet
    offered; returns them. Only before the launch day (the pairs are formed by then) and with a set number of places.

    Side effects: `place_proposee_le` set; one journal entry and one e-mail to the committee's address per person
    ("candidature-place-liberee"): the committee confirms on its places page, and only then is the person told.
    """
    if promotion.places_mentores is None or timezone.localdate() >= promotion.journee_lancement:
        return []
    with transaction.atomic():
        Promotion.objects.select_for_update().filter(pk=promotion.pk).first()
        a_proposer = places_de(promotion).a_proposer or 0
        attente = Candidature.objects.filter(promotion=promotion, place_proposee_le__isnull=True).en_liste_attente()
        proposees = list(attente.select_related("utilisateur")[:a_proposer])
        maintenant = timezone.now()
        Candidature.objects.filter(pk__in=[c.pk for c in proposees]).update(place_proposee_le=maintenant)
        lien = settings.SITE_URL + reverse("candidatures:places", args=[promotion.pk])
        for candidature in proposees:
            candidature.place_proposee_le = maintenant
            journal.consigner(
                journal.Action.PLACE_PROPOSEE, par=par, objet=candidature, details={"rang": candidature.rang_attente}
            )
            courriels.mettre_en_file(
                "candidature-place-liberee",
                [promotion.email_contact],
                {"candidature": candidature, "rang": candidature.rang_attente, "lien": lien},
                cle=f"candidature-place-liberee:{candidature.pk}:{maintenant:%Y%m%d%H%M%S%f}",
            )
    return proposees


def liberer_place(*, candidature: Candidature, par: Utilisateur | None, le: datetime.date) -> list[Candidature]:
    """The retained mentee's pair stopped on `le`: before the launch day, their place goes back to the promotion and
    the next person on the waiting list is offered to the committee (`proposer_places_libres`); returns them.

    After the launch day the place stays taken (the year has begun). Idempotent: a place is freed once.
    """
    promotion = candidature.promotion
    if le >= promotion.journee_lancement:
        return []
    with transaction.atomic():
        liberees = Candidature.objects.filter(
            pk=candidature.pk, role=Role.MENTORE, statut=Statut.RETENUE, place_liberee_le__isnull=True
        ).update(place_liberee_le=timezone.now())
        if not liberees:
            return []
        return proposer_places_libres(promotion=promotion, par=par)


def retenir_depuis_la_liste(*, candidature: Candidature, par: Utilisateur) -> Candidature:
    """The committee retains a person on the waiting list, a place being free (offered to it or not).

    Through `services.changer_statut`: the person is e-mailed that a place was freed and that they are retained;
    those behind move up. Raises `CandidatureRefusee` when no place is free or the person is no longer waiting.
    """
    if candidature.statut != Statut.LISTE_ATTENTE:
        raise services.CandidatureRefusee(_("Cette personne n'est plus sur la liste d'attente."))
    libres = places_de(candidature.promotion).libres
    if libres is not None and libres <= 0:
        raise services.CandidatureRefusee(
            _("Aucune place n'est libre : augmentez le nombre de places de la promotion ou attendez un désistement.")
        )
    return services.changer_statut(candidature=candidature, statut=Statut.RETENUE, par=par)


def deplacer(*, candidature: Candidature, rang: int, par: Utilisateur) -> Candidature:
    """Move a person on the waiting list to `rang` (1 first); those between shift by one. Journaled.

    Raises `CandidatureRefusee` when the person is no longer waiting or the rank is outside the list.
    """
    with transaction.atomic():
        Promotion.objects.select_for_update().filter(pk=candidature.promotion_id).first()
        liste = list(Candidature.objects.filter(promotion_id=candidature.promotion_id).en_liste_attente())
        actuelle = next((c for c in liste if c.pk == candidature.pk), None)
        if actuelle is None:
            raise services.CandidatureRefusee(_("Cette personne n'est plus sur la liste d'attente."))
        if not 1 <= rang <= len(liste):
            raise services.CandidatureRefusee(
                _("Le rang doit être compris entre 1 et %(n)s, la longueur de la liste d'attente.") % {"n": len(liste)}
            )
        avant = actuelle.rang_attente
        liste.remove(actuelle)
        liste.insert(rang - 1, actuelle)
        changees = []
        for nouveau_rang, personne in enumerate(liste, start=1):
            if personne.rang_attente != nouveau_rang:
                personne.rang_attente = nouveau_rang
                changees.append(personne)
        Candidature.objects.bulk_update(changees, ["rang_attente"])
        journal.consigner(
            journal.Action.LISTE_ATTENTE_MODIFIEE, par=par, objet=actuelle, details={"avant": avant, "apres": rang}
        )
    return actuelle
