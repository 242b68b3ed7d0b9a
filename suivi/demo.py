"""Demo meetings for the pairs of `monde.en_cours`, logged through the same services as the pair's pages.

Each pair gets a profile in turn: on track, drifting (6 to 8 weeks since the last
meeting), over the limit (more than 8 weeks), with meetings planned ahead, or with a
planned meeting whose date has passed ("à confirmer"). Some transmitted their table at
mid-course. The first meeting of each pair covers the first theme its mentee wished at
application, so that the pair's space and the tracking pages show wished themes covered and
others still ahead. Idempotent: a pair that already has meetings is left as it is.
"""

import datetime

from django.utils import timezone

from binomes.models import Binome
from candidatures.models import Theme
from mentorat.demo import Monde

from . import evenements, services
from .models import EvenementCollectif, Mode, Moment, Participation, ReponseInvitation, TypeEvenement

# Days before today of each meeting; negative = planned ahead. Profiles are given to the pairs in turn.
PROFILS = {
    "a_jour": [190, 150, 110, 75, 40, 12],
    "derive": [180, 140, 100, 46],
    "depasse": [170, 100, 64],
    "prevues": [185, 145, 105, 70, 30, -9, -40],
    "a_confirmer": [175, 130, 90, 50, 3],
}
# In the "à confirmer" profile, the last meeting was logged ahead of its date and never confirmed.
NON_CONFIRMEE = 3


def _non_confirmee(profil: str, jours: int) -> bool:
    return profil == "a_confirmer" and jours == NON_CONFIRMEE


def _annee_terminee(monde: Monde, themes: list[Theme]) -> None:
    """The finished promotion's pairs met every six weeks from the launch day to the bilan day."""
    promotion = monde.terminee
    if promotion is None:
        return
    for binome in Binome.objects.filter(promotion=promotion).select_related("promotion", "mentore__utilisateur"):
        if binome.rencontres.exists():
            continue
        date = promotion.journee_lancement + datetime.timedelta(days=20)
        while date < promotion.journee_bilan:
            services.enregistrer_rencontre(
                binome=binome,
                par=binome.mentore.utilisateur,
                date=date,
                mode=Mode.PRESENTIEL,
                themes=monde.rng.sample(themes, k=min(len(themes), 2)),
                aujourd_hui=date,
            )
            date += datetime.timedelta(weeks=6)
        services.transmettre_tableau(binome=binome, moment=Moment.FIN, par=binome.mentore.utilisateur)


def _avec_souhait(tires: list[Theme], souhait: Theme | None) -> list[Theme]:
    """The themes drawn for a meeting, with the mentee's wished theme (given for the pair's first meeting only)."""
    if souhait is not None and souhait not in tires:
        return [*tires, souhait]
    return tires


def _a(jour: datetime.date, heure: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


def _temps_collectifs(monde: Monde) -> None:
    """The current year's three collective times. The launch day and the mid-course time are past, their
    attendance recorded; the bilan day is ahead: invitations sent (with their .ics), two answers in three."""
    promotion = monde.en_cours
    programmes = {
        TypeEvenement.LANCEMENT: (promotion.journee_lancement, 9, 17, {"lieu": promotion.lieu_lancement}),
        TypeEvenement.MI_PARCOURS: (
            promotion.evenement_mi_parcours,
            14,
            16,
            {"lien_visio": "https://webconf.numerique.gouv.fr/mentorat-mi-parcours"},
        ),
        TypeEvenement.BILAN: (promotion.journee_bilan, 9, 17, {"lieu": "CNG, 21 rue Leblanc, 75015 Paris"}),
    }
    for type_, (jour, debut, fin, lieu) in programmes.items():
        evenement, _ = EvenementCollectif.objects.get_or_create(
            promotion=promotion,
            type=type_,
            defaults={
                "debut": _a(jour, debut),
                "fin": _a(jour, fin),
                "programme": "Accueil, témoignages de binômes, ateliers sur les postures de mentor et de mentoré.",
                **lieu,
            },
        )
        if evenement.fin < timezone.now():
            _presences_passees(monde, evenement)
        else:
            evenements.inviter(evenement=evenement)
            _reponses(evenement)


def _presences_passees(monde: Monde, evenement: EvenementCollectif) -> None:
    """A past time: everyone had been invited and answered present; nine in ten came."""
    if evenement.participations.exists():
        return
    Participation.objects.bulk_create(
        Participation(evenement=evenement, utilisateur=u, reponse=ReponseInvitation.PRESENT, repondu_le=evenement.debut)
        for u in evenements.participants(evenement)
    )
    presences: dict[int, bool | None] = {
        p.pk: rang % 10 != 9 for rang, p in enumerate(evenement.participations.order_by("pk"))
    }
    evenements.noter_presences(evenement=evenement, presences=presences, par=monde.ingenieurs[0])


def _reponses(evenement: EvenementCollectif) -> None:
    """One participant in three has not answered yet; the others answer present, or absent for one in six."""
    for rang, participation in enumerate(evenement.participations.select_related("evenement").order_by("pk")):
        if participation.reponse or rang % 3 == 0:
            continue
        reponse = ReponseInvitation.ABSENT if rang % 6 == 5 else ReponseInvitation.PRESENT
        evenements.repondre(participation=participation, reponse=reponse)


def peupler(monde: Monde) -> None:
    themes = list(Theme.objects.filter(actif=True))
    _annee_terminee(monde, themes)
    _temps_collectifs(monde)
    binomes = (
        Binome.objects.actifs().filter(promotion=monde.en_cours).select_related("promotion", "mentore__utilisateur")
    )
    profils = list(PROFILS)
    for rang, binome in enumerate(binomes.order_by("pk")):
        if binome.rencontres.exists():
            continue
        profil = profils[rang % len(profils)]
        souhait = binome.mentore.themes.order_by("ordre", "nom").first()
        for n, jours in enumerate(PROFILS[profil]):
            date = monde.aujourd_hui - datetime.timedelta(days=jours)
            if not binome.promotion.journee_lancement <= date <= binome.promotion.fin:
                continue
            services.enregistrer_rencontre(
                binome=binome,
                par=binome.mentore.utilisateur,
                date=date,
                mode=Mode.PRESENTIEL if n % 2 == 0 else Mode.VISIO,
                themes=_avec_souhait(monde.rng.sample(themes, k=min(len(themes), monde.rng.randint(1, 3))), souhait),
                autre_theme="Prise de fonctions" if n == 0 else "",
                aujourd_hui=date - datetime.timedelta(days=7) if _non_confirmee(profil, jours) else monde.aujourd_hui,
            )
            souhait = None  # covered by the first meeting logged; the others keep what was drawn
        if profil in ("a_jour", "prevues", "derive"):
            services.transmettre_tableau(binome=binome, moment=Moment.MI_PARCOURS, par=binome.mentore.utilisateur)
