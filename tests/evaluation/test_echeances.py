import datetime

from evaluation.echeances import envois_dus

OUVERTURE = datetime.datetime(2031, 3, 1, 9, tzinfo=datetime.UTC)
FERMETURE = OUVERTURE + datetime.timedelta(days=30)


def test_rien_avant_l_ouverture_ni_a_la_cloture():
    assert envois_dus(OUVERTURE, FERMETURE, OUVERTURE - datetime.timedelta(seconds=1)) == []
    assert envois_dus(OUVERTURE, FERMETURE, FERMETURE) == []


def test_invitation_des_l_ouverture():
    assert envois_dus(OUVERTURE, FERMETURE, OUVERTURE) == ["invitation"]


def test_premiere_relance_au_tiers():
    tiers = OUVERTURE + datetime.timedelta(days=10)
    assert envois_dus(OUVERTURE, FERMETURE, tiers - datetime.timedelta(seconds=1)) == ["invitation"]
    assert envois_dus(OUVERTURE, FERMETURE, tiers) == ["invitation", "relance_1"]


def test_seconde_relance_aux_deux_tiers():
    deux_tiers = OUVERTURE + datetime.timedelta(days=20)
    assert envois_dus(OUVERTURE, FERMETURE, deux_tiers - datetime.timedelta(seconds=1)) == ["invitation", "relance_1"]
    assert envois_dus(OUVERTURE, FERMETURE, deux_tiers) == ["invitation", "relance_1", "relance_2"]
