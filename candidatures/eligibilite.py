"""Eligibility of an application: one pure function over plain data, parameterised by the promotion.

Nothing here touches the database: the form builds a `Dossier` from what was typed, `Regles.de_la_promotion`
copies the promotion's thresholds, and `verifier` returns a `Verdict` listing every unmet rule with the form
field it concerns and a French message.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mentorat.dates import date_fr

MENTOR = "mentor"
MENTORE = "mentore"
DS = "DS"


@dataclass(frozen=True)
class Regles:
    """A promotion's eligibility thresholds."""

    corps_mentores: tuple[str, ...]
    corps_mentors: tuple[str, ...]
    date_premier_poste: datetime.date
    date_reference: datetime.date
    annees_direction: int = 15
    postes_distincts: int = 2
    ds_annees_encadrement: int = 15
    ds_annees_ds: int = 7

    @classmethod
    def de_la_promotion(cls, promotion) -> "Regles":
        return cls(
            corps_mentores=tuple(promotion.corps_mentores),
            corps_mentors=tuple(promotion.corps_mentors),
            date_premier_poste=promotion.date_premier_poste,
            date_reference=promotion.date_reference_anciennete,
            annees_direction=promotion.mentor_annees_direction,
            postes_distincts=promotion.mentor_postes_distincts,
            ds_annees_encadrement=promotion.mentor_ds_annees_encadrement,
            ds_annees_ds=promotion.mentor_ds_annees_ds,
        )


@dataclass(frozen=True)
class Dossier:
    """The facts of one application that the rules look at."""

    role: str
    corps: str
    date_premier_poste: datetime.date | None = None
    carriere_geree_cng: bool = False
    debut_fonctions_direction: datetime.date | None = None
    postes_direction: int | None = None
    debut_exercice_encadrement: datetime.date | None = None
    debut_fonctions_ds: datetime.date | None = None


@dataclass(frozen=True)
class Motif:
    """One unmet rule: the form field it concerns and the French message shown next to it."""

    champ: str
    message: str


@dataclass(frozen=True)
class Verdict:
    motifs: list[Motif] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.motifs


def ajouter_annees(debut: datetime.date, annees: int) -> datetime.date:
    """`debut` plus `annees` calendar years; a 29 February lands on 28 February in a common year.

    This follows the French rule for periods counted in years (article 641 of the code de procédure
    civile): without the same day in the final month, the period ends on that month's last day.
    """
    annee = debut.year + annees
    jour = min(debut.day, calendar.monthrange(annee, debut.month)[1])
    return debut.replace(year=annee, day=jour)


def a_au_moins(debut: datetime.date | None, annees: int, reference: datetime.date) -> bool:
    """True when `annees` full years have passed from `debut` to `reference` (exactly N years passes)."""
    return debut is not None and ajouter_annees(debut, annees) <= reference


def date_en_toutes_lettres(jour: datetime.date) -> str:
    """The date as "1er janvier 2024" or "9 février 2024": French writes the first of the month "1er"."""
    return date_fr(jour, "j F Y")


def verifier(dossier: Dossier, regles: Regles) -> Verdict:
    """Check an application against the promotion's rules; return every unmet rule (none: eligible).

    - Mentee: corps among the promotion's mentee corps; first post taken on the promotion's first-post date.
    - Mentor: corps among the promotion's mentor corps; career managed by the CNG; then
      DH/D3S: `annees_direction` years as director and `postes_distincts` distinct director posts;
      DS: `ds_annees_encadrement` years in a health setting with management duties and `ds_annees_ds` as DS.
    Seniority is counted up to `regles.date_reference` (the Paris day of the deadline).
    """
    if dossier.role == MENTORE:
        return Verdict(_motifs_mentore(dossier, regles))
    return Verdict(_motifs_mentor(dossier, regles))


def _motifs_mentore(dossier: Dossier, regles: Regles) -> list[Motif]:
    motifs = []
    if dossier.corps not in regles.corps_mentores:
        motifs.append(Motif("corps", _("Ce corps n'est pas ouvert aux mentorés pour cette promotion.")))
    if dossier.date_premier_poste != regles.date_premier_poste:
        motifs.append(
            Motif(
                "date_premier_poste",
                _("Le programme s'adresse aux directeurs et directrices prenant leur premier poste le %(date)s.")
                % {"date": date_en_toutes_lettres(regles.date_premier_poste)},
            )
        )
    return motifs


def _motifs_mentor(dossier: Dossier, regles: Regles) -> list[Motif]:
    motifs = []
    if dossier.corps not in regles.corps_mentors:
        motifs.append(Motif("corps", _("Ce corps n'est pas ouvert aux mentors pour cette promotion.")))
    if not dossier.carriere_geree_cng:
        motifs.append(Motif("carriere_geree_cng", _("Les mentors doivent avoir une carrière gérée par le CNG.")))
    if dossier.corps == DS:
        motifs += _motifs_mentor_ds(dossier, regles)
    else:
        motifs += _motifs_mentor_direction(dossier, regles)
    return motifs


def _motifs_mentor_direction(dossier: Dossier, regles: Regles) -> list[Motif]:
    motifs = []
    if not a_au_moins(dossier.debut_fonctions_direction, regles.annees_direction, regles.date_reference):
        motifs.append(
            Motif(
                "debut_fonctions_direction",
                _("Il faut au moins %(annees)s ans de fonctions de direction au %(date)s.")
                % {"annees": regles.annees_direction, "date": date_en_toutes_lettres(regles.date_reference)},
            )
        )
    if (dossier.postes_direction or 0) < regles.postes_distincts:
        motifs.append(
            Motif(
                "postes_direction",
                _("Il faut avoir occupé au moins %(postes)s postes de direction distincts.")
                % {"postes": regles.postes_distincts},
            )
        )
    return motifs


def _motifs_mentor_ds(dossier: Dossier, regles: Regles) -> list[Motif]:
    motifs = []
    if not a_au_moins(dossier.debut_exercice_encadrement, regles.ds_annees_encadrement, regles.date_reference):
        motifs.append(
            Motif(
                "debut_exercice_encadrement",
                _("Il faut au moins %(annees)s ans d'exercice en environnement sanitaire avec encadrement au %(date)s.")
                % {"annees": regles.ds_annees_encadrement, "date": date_en_toutes_lettres(regles.date_reference)},
            )
        )
    if not a_au_moins(dossier.debut_fonctions_ds, regles.ds_annees_ds, regles.date_reference):
        motifs.append(
            Motif(
                "debut_fonctions_ds",
                _("Il faut au moins %(annees)s ans en tant que directeur ou directrice des soins au %(date)s.")
                % {"annees": regles.ds_annees_ds, "date": date_en_toutes_lettres(regles.date_reference)},
            )
        )
    return motifs
