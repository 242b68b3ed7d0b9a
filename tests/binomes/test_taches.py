"""The pairs' Celery tasks (their e-mails go through the outbox: see tests/mentorat/test_courriels.py)."""

import pytest

from binomes import tasks
from binomes.models import StatutBinome
from tests.factories import BinomeFactory

pytestmark = pytest.mark.django_db


def test_activer_binomes_tache(promotion, ingenieur, time_machine):
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.CONFIRME)
    time_machine.move_to(promotion.journee_lancement.isoformat() + "T10:00:00+02:00")

    assert tasks.activer_binomes.delay().get() == 1
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.ACTIF
