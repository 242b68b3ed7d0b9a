"""The committee's pictures: pure functions of plain figures."""

from candidatures.departements import carte, distance_km
from mentorat import graphiques


def test_une_valeur_masquee_est_grisee_et_les_autres_par_classe():
    seuils = [5, 10, 20, 40]

    assert graphiques.classe(None, seuils) == graphiques.MASQUE
    assert graphiques.classe(0, seuils) == graphiques.NUANCES[0]
    assert graphiques.classe(7, seuils) == graphiques.NUANCES[1]
    assert graphiques.classe(400, seuils) == graphiques.NUANCES[-1]


def test_la_carte_d_un_binome_d_outre_mer_n_a_ni_point_ni_trait():
    fond = carte()

    svg = graphiques.carte_binome(fond, fond.position("971"), fond.position("33"))

    assert fond.position("971") is None
    assert "<line" not in svg
    assert svg.count("<circle") == 1
    assert 'href="#comite-fond-france"' in svg


def test_la_barre_du_score_est_partagee_par_critere():
    svg = graphiques.barre_score({"themes": 45, "corps": 0, "distance": 25, "modes": 10})

    assert svg.count("<rect") == 4  # the background and three criteria (corps earned nothing)
    assert 'width="72.0"' in svg  # 45 points of 100 on 160 px
    assert 'aria-hidden="true"' in svg


def test_des_colonnes_sans_donnee_et_des_pourcentages():
    assert "<rect" not in graphiques.colonnes([])
    assert "50 %" in graphiques.colonnes([("janv.", 50.0)], pourcentages=True)


def test_la_distance_entre_deux_departements():
    assert distance_km("33", "33") == 0
    assert 480 < distance_km("75", "33") < 520
    assert distance_km("75", "inconnu") is None
