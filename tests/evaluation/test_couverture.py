"""The synthesis's share of wished themes covered: the invited pairs' figures, read from the database, shown only
from the group threshold, split by corps under `anonymat.ventiler`."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services, synthese
from mentorat.models import Corps
from tests.factories import BinomeFactory, CandidatureFactory, PromotionFactory, ThemeFactory
from tests.suivi.factories import RencontreFactory

from .conftest import fermer
from .factories import CampagneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def promotion(db):
    lancement = timezone.localdate() - datetime.timedelta(days=120)
    return PromotionFactory(
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=300),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=200),
        journee_lancement=lancement,
    )


@pytest.fixture
def themes(db):
    return ThemeFactory(nom="Synthèse : finances"), ThemeFactory(nom="Synthèse : équipe")


def binome(promotion, themes, corps="DH", couverts=()):
    mentore = CandidatureFactory(promotion=promotion, corps=corps, themes=list(themes))
    binome = BinomeFactory(promotion=promotion, mentore=mentore)
    if couverts:
        RencontreFactory(binome=binome, date=promotion.journee_lancement + datetime.timedelta(days=20), themes=couverts)
    return binome


def campagne_close(promotion):
    campagne = CampagneFactory(promotion=promotion)
    services.creer_invitations(campagne=campagne)
    fermer(campagne)
    return campagne


def test_part_des_themes_souhaites_abordes_par_les_binomes_invites(promotion, themes, settings):
    settings.EVALUATION_SEUIL_GROUPE = 5
    finances, equipe = themes
    for _ in range(3):
        binome(promotion, themes, couverts=[finances, equipe])  # 2 of 2
    binome(promotion, themes, couverts=[finances])  # 1 of 2
    binome(promotion, themes)  # 0 of 2
    tardif = binome(promotion, themes, corps="DS")  # its meeting is held after the questionnaire closed
    campagne = campagne_close(promotion)
    RencontreFactory(binome=tardif, date=timezone.localdate() + datetime.timedelta(days=1), themes=[finances])
    binome(promotion, themes, couverts=[finances])  # formed after the campaign: not invited, not counted

    resultat = synthese.calculer(campagne).couverture

    assert resultat.part.binomes == 6
    assert (resultat.part.souhaites, resultat.part.abordes, resultat.part.pourcentage) == (12, 7, 58)
    assert resultat.visible
    # DH (5 pairs) would be shown alone beside DS (1): DS would then be the total minus DH, so both are merged.
    assert resultat.par_corps == []
    assert resultat.masques == [Corps.DH.label, Corps.DS.label]


def test_part_masquee_sous_le_seuil(client, promotion, themes, ingenieur, settings):
    settings.EVALUATION_SEUIL_GROUPE = 5
    for _ in range(4):
        binome(promotion, themes, couverts=[themes[0]])
    campagne = campagne_close(promotion)
    client.force_login(ingenieur)

    contenu = client.get(reverse("evaluation:synthese", args=[campagne.pk])).content.decode()

    assert synthese.calculer(campagne).couverture.visible is False
    assert "elle porte sur moins de 5 binômes" in contenu
    assert 'id="part-couverte"' not in contenu


def test_part_et_corps_montres_a_partir_du_seuil(client, promotion, themes, ingenieur, settings):
    settings.EVALUATION_SEUIL_GROUPE = 2
    finances, _equipe = themes
    for corps in ("DH", "DH", "DS", "DS"):
        binome(promotion, themes, corps=corps, couverts=[finances] if corps == "DH" else [])
    campagne = campagne_close(promotion)
    client.force_login(ingenieur)

    contenu = client.get(reverse("evaluation:synthese", args=[campagne.pk])).content.decode()

    assert "Sur 4 binômes, 25 % des thèmes souhaités" in contenu
    assert "(2 sur 8)" in contenu
    resultat = synthese.calculer(campagne).couverture
    assert [(libelle, part.pourcentage) for libelle, part in resultat.par_corps] == [
        (Corps.DH.label, 50),
        (Corps.DS.label, 0),
    ]
