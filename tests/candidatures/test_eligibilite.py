"""Eligibility rules on their boundaries: pure functions, no database."""

import datetime
from typing import Any

import pytest

from candidatures.eligibilite import Dossier, Regles, a_au_moins, ajouter_annees, date_en_toutes_lettres, verifier

REFERENCE = datetime.date(2024, 2, 8)
PREMIER_POSTE = datetime.date(2024, 1, 1)
REGLES = Regles(
    corps_mentores=("DH", "D3S", "DS"),
    corps_mentors=("DH", "D3S", "DS"),
    date_premier_poste=PREMIER_POSTE,
    date_reference=REFERENCE,
)


def mentor(**champs) -> Dossier:
    valeurs: dict[str, Any] = {
        "role": "mentor",
        "corps": "DH",
        "carriere_geree_cng": True,
        "debut_fonctions_direction": datetime.date(2009, 2, 8),
        "postes_direction": 2,
    }
    return Dossier(**(valeurs | champs))


def mentor_ds(**champs) -> Dossier:
    valeurs: dict[str, Any] = {
        "role": "mentor",
        "corps": "DS",
        "carriere_geree_cng": True,
        "debut_exercice_encadrement": datetime.date(2009, 2, 8),
        "debut_fonctions_ds": datetime.date(2017, 2, 8),
    }
    return Dossier(**(valeurs | champs))


def champs(verdict) -> list[str]:
    return [motif.champ for motif in verdict.motifs]


def test_mentor_quinze_ans_exactement_est_eligible():
    verdict = verifier(mentor(), REGLES)

    assert verdict.eligible is True
    assert verdict.motifs == []


def test_mentor_quinze_ans_moins_un_jour_est_refuse():
    verdict = verifier(mentor(debut_fonctions_direction=datetime.date(2009, 2, 9)), REGLES)

    assert champs(verdict) == ["debut_fonctions_direction"]
    assert verdict.motifs[0].message == "Il faut au moins 15 ans de fonctions de direction au 8 février 2024."


def test_mentor_sans_date_de_debut_est_refuse():
    assert champs(verifier(mentor(debut_fonctions_direction=None), REGLES)) == ["debut_fonctions_direction"]


def test_mentor_un_seul_poste_de_direction_est_refuse():
    verdict = verifier(mentor(postes_direction=1), REGLES)

    assert champs(verdict) == ["postes_direction"]
    assert verdict.motifs[0].message == "Il faut avoir occupé au moins 2 postes de direction distincts."


@pytest.mark.parametrize("corps", ["DH", "D3S"])
def test_mentor_dh_et_d3s_deux_postes_passent(corps):
    assert verifier(mentor(corps=corps, postes_direction=2), REGLES).eligible is True


def test_mentor_carriere_non_geree_par_le_cng_est_refuse():
    assert champs(verifier(mentor(carriere_geree_cng=False), REGLES)) == ["carriere_geree_cng"]


def test_mentor_d_un_corps_non_ouvert_est_refuse():
    regles = Regles(**(REGLES.__dict__ | {"corps_mentors": ("DH",)}))

    assert champs(verifier(mentor(corps="D3S"), regles)) == ["corps"]


def test_mentor_ds_sept_ans_exactement_comme_ds_est_eligible():
    assert verifier(mentor_ds(), REGLES).eligible is True


def test_mentor_ds_sept_ans_moins_un_jour_est_refuse():
    verdict = verifier(mentor_ds(debut_fonctions_ds=datetime.date(2017, 2, 9)), REGLES)

    assert champs(verdict) == ["debut_fonctions_ds"]


def test_mentor_ds_quinze_ans_d_encadrement_moins_un_jour_est_refuse():
    verdict = verifier(mentor_ds(debut_exercice_encadrement=datetime.date(2009, 2, 9)), REGLES)

    assert champs(verdict) == ["debut_exercice_encadrement"]


def test_mentor_ds_n_a_pas_besoin_de_postes_de_direction():
    assert verifier(mentor_ds(postes_direction=None), REGLES).eligible is True


def test_seuils_de_la_promotion_sont_pris_en_compte():
    regles = Regles(**(REGLES.__dict__ | {"annees_direction": 10, "postes_distincts": 1}))

    assert verifier(mentor(debut_fonctions_direction=datetime.date(2014, 2, 8), postes_direction=1), regles).eligible


def test_mentore_premier_poste_a_la_date_de_la_promotion_est_eligible():
    dossier = Dossier(role="mentore", corps="DS", date_premier_poste=PREMIER_POSTE)

    assert verifier(dossier, REGLES).eligible is True


def test_mentore_autre_date_de_premier_poste_est_refuse():
    dossier = Dossier(role="mentore", corps="DH", date_premier_poste=datetime.date(2023, 12, 31))

    verdict = verifier(dossier, REGLES)

    assert champs(verdict) == ["date_premier_poste"]
    assert verdict.motifs[0].message == (
        "Le programme s'adresse aux directeurs et directrices prenant leur premier poste le 1er janvier 2024."
    )


def test_mentore_d_un_corps_non_ouvert_est_refuse():
    dossier = Dossier(role="mentore", corps="PH", date_premier_poste=PREMIER_POSTE)

    assert champs(verifier(dossier, REGLES)) == ["corps"]


def test_29_fevrier_plus_un_an_tombe_le_28_fevrier():
    assert ajouter_annees(datetime.date(2008, 2, 29), 15) == datetime.date(2023, 2, 28)
    assert ajouter_annees(datetime.date(2008, 2, 29), 16) == datetime.date(2024, 2, 29)


def test_29_fevrier_quinze_ans_atteints_le_28_fevrier():
    debut = datetime.date(2008, 2, 29)

    assert a_au_moins(debut, 15, datetime.date(2023, 2, 28)) is True
    assert a_au_moins(debut, 15, datetime.date(2023, 2, 27)) is False


def test_date_en_toutes_lettres_ecrit_le_premier_du_mois_1er():
    assert date_en_toutes_lettres(datetime.date(2024, 1, 1)) == "1er janvier 2024"
    assert date_en_toutes_lettres(datetime.date(2024, 2, 9)) == "9 février 2024"
