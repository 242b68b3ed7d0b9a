"""The follow-up happens during the programme year: here `promotion` was launched 100 days ago."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import PromotionFactory

JOURS_DEPUIS_LANCEMENT = 100


@pytest.fixture
def promotion(db):
    lancement = timezone.localdate() - datetime.timedelta(days=JOURS_DEPUIS_LANCEMENT)
    return PromotionFactory(
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=300),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=200),
        journee_lancement=lancement,
        evenement_mi_parcours=lancement + datetime.timedelta(days=180),
    )


@pytest.fixture
def lancement(promotion):
    return promotion.journee_lancement
