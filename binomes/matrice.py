"""The matching's plain data, read from the database in a constant number of queries.

`calculer_matrice` turns the retained applications of a promotion into the arrays that the pure rules of
`appariement` score and constrain; the committee's screens and the proposal services read it, and the
screens list with `laisses_de_cote` who is still without a pair.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from candidatures.departements import departements
from candidatures.models import Candidature, Role
from mentorat.models import Promotion

from . import appariement
from .models import Binome, Exclusion, Proposition


@dataclass
class Matrice:
    """Everything the matching screens show for one promotion."""

    mentores: list[Candidature]
    mentors: list[Candidature]
    donnees_mentores: appariement.Candidats
    donnees_mentors: appariement.Candidats
    scores: np.ndarray
    codes: np.ndarray
    exclusions_manuelles: dict[tuple[int, int], str]

    def index(self) -> tuple[dict[int, int], dict[int, int]]:
        return {c.pk: i for i, c in enumerate(self.mentores)}, {c.pk: j for j, c in enumerate(self.mentors)}

    def raisons(self, i: int, j: int) -> list[str]:
        return appariement.raisons(self.donnees_mentores, self.donnees_mentors, i, j, settings.APPARIEMENT_POIDS)

    def points(self, i: int, j: int) -> dict[str, int]:
        return appariement.points(self.donnees_mentores, self.donnees_mentors, i, j, settings.APPARIEMENT_POIDS)

    def motif(self, i: int, j: int) -> str:
        code = int(self.codes[i, j])
        if code == appariement.EXCLUSION_MANUELLE:
            cle = (self.mentores[i].pk, self.mentors[j].pk)
            return f"{appariement.motif_exclusion(code)} : {self.exclusions_manuelles[cle]}"
        return appariement.motif_exclusion(code) if code else ""


def _candidats(
    candidatures: list[Candidature], themes_par_candidature: dict[int, set[int]], themes: list[int]
) -> appariement.Candidats:
    depts = departements()
    colonne = {pk: k for k, pk in enumerate(themes)}
    matrice_themes = np.zeros((len(candidatures), len(themes)), dtype=bool)
    for i, c in enumerate(candidatures):
        for theme_id in themes_par_candidature.get(c.pk, ()):
            matrice_themes[i, colonne[theme_id]] = True
    # An unknown département code (should not happen: the form offers a list) counts as Paris.
    lieux = [depts.get(c.departement) or depts["75"] for c in candidatures]
    return appariement.Candidats(
        ids=np.array([c.pk for c in candidatures], dtype=np.int64),
        themes=matrice_themes,
        corps=np.array([c.corps for c in candidatures], dtype=str),
        latitudes=np.array([d.latitude for d in lieux], dtype=np.float64),
        longitudes=np.array([d.longitude for d in lieux], dtype=np.float64),
        modes=np.array([c.mode_rencontre for c in candidatures], dtype=str),
        etablissements=[appariement.normaliser(c.etablissement) for c in candidatures],
        ghts=[appariement.normaliser(c.ght) for c in candidatures],
        noms=[appariement.normaliser(c.utilisateur.get_full_name()) for c in candidatures],
        enjeux=[appariement.normaliser(c.enjeux_declares) for c in candidatures],
    )


def retenues(promotion: Promotion, role: str) -> list[Candidature]:
    """The retained candidates of `role` who can be paired: those whose e-mail address is confirmed.

    An address nobody confirmed may belong to someone else than the applicant (anyone can type anyone's
    address in the public form): such a candidate is left out of every proposal until it is confirmed.
    """
    return list(
        Candidature.objects.de_la_promotion(promotion)
        .retenues()
        .du_role(role)
        .filter(utilisateur__email_confirme=True)
        .par_nom()
    )


def laisses_de_cote(promotion: Promotion, proposition: Proposition | None, role: str) -> list[Candidature]:
    """Retained candidates of `role` in no pair and in no line of the draft (one query), whether or not their
    address is confirmed (the screen says which are waiting for a confirmation)."""
    candidatures = Candidature.objects.de_la_promotion(promotion).retenues().du_role(role).sans_binome()
    if proposition:
        candidatures = candidatures.exclude(pk__in=proposition.lignes.values(role))
    return list(candidatures.par_nom())


def calculer_matrice(promotion: Promotion) -> Matrice:
    """Scores and exclusions of every retained mentee × retained mentor of `promotion`.

    Queries: retained mentees, retained mentors, their themes, earlier pairs of the same people, manual exclusions,
    the pairs already validated in this promotion.
    """
    mentores, mentors = retenues(promotion, Role.MENTORE), retenues(promotion, Role.MENTOR)
    ids = [c.pk for c in mentores + mentors]
    themes_par_candidature: dict[int, set[int]] = defaultdict(set)
    for candidature_id, theme_id in Candidature.themes.through.objects.filter(candidature_id__in=ids).values_list(
        "candidature_id", "theme_id"
    ):
        themes_par_candidature[candidature_id].add(theme_id)
    themes = sorted({t for ts in themes_par_candidature.values() for t in ts})
    mentore_par_personne = {c.utilisateur_id: c.pk for c in mentores}
    mentor_par_personne = {c.utilisateur_id: c.pk for c in mentors}
    anciens = {
        (mentore_par_personne[mentore_user], mentor_par_personne[mentor_user])
        for mentore_user, mentor_user in Binome.objects.exclude(promotion=promotion)
        .filter(mentore__utilisateur__in=mentore_par_personne, mentor__utilisateur__in=mentor_par_personne)
        .values_list("mentore__utilisateur_id", "mentor__utilisateur_id")
    }
    manuelles = {
        (mentore_id, mentor_id): motif
        for mentore_id, mentor_id, motif in Exclusion.objects.filter(promotion=promotion).values_list(
            "mentore_id", "mentor_id", "motif"
        )
    }
    apparies = list(Binome.objects.filter(promotion=promotion).values_list("mentore_id", "mentor_id"))
    donnees_mentores = _candidats(mentores, themes_par_candidature, themes)
    donnees_mentors = _candidats(mentors, themes_par_candidature, themes)
    contraintes = appariement.Contraintes(
        mixte_autorise=promotion.binomes_mixtes,
        anciens_binomes=anciens,
        exclusions_manuelles=manuelles,
        mentores_apparies={mentore_id for mentore_id, _mentor_id in apparies},
        mentors_apparies={mentor_id for _mentore_id, mentor_id in apparies},
    )
    return Matrice(
        mentores=mentores,
        mentors=mentors,
        donnees_mentores=donnees_mentores,
        donnees_mentors=donnees_mentors,
        scores=appariement.scores(donnees_mentores, donnees_mentors, settings.APPARIEMENT_POIDS),
        codes=appariement.exclusions(donnees_mentores, donnees_mentors, contraintes),
        exclusions_manuelles=manuelles,
    )
