"""The follow-up happens during the programme year: here `promotion` was launched 100 days ago."""

import pytest

from tests.factories import promotion_dans_son_annee

JOURS_DEPUIS_LANCEMENT = 100


@pytest.fixture
def promotion(db):
    return promotion_dans_son_annee(JOURS_DEPUIS_LANCEMENT)


@pytest.fixture
def lancement(promotion):
    return promotion.journee_lancement
