"""Demo meetings for the pairs of `monde.en_cours`, logged through the same services as the pair's pages.

Each pair gets a profile in turn: on track, drifting (6 to 8 weeks since the last
meeting), over the limit (more than 8 weeks), with meetings planned ahead, or with a
planned meeting whose date has passed ("à confirmer"). Some transmitted their table at
mid-course. The first meeting of each pair covers the first theme its mentee wished at
application, so that the pair's space and the tracking pages show wished themes covered and
others still ahead. Idempotent: a pair that already has meetings is left as it is.
"""

import datetime

from binomes.models import Binome
from candidatures.models import Theme
from mentorat.demo import Monde

from . import services
from .models import Mode, Moment

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


def peupler(monde: Monde) -> None:
    themes = list(Theme.objects.filter(actif=True))
    _annee_terminee(monde, themes)
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
