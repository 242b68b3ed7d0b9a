"""The daily retention job on a real Celery worker and the real Redis broker: two runs side by side (a restarted
beat) list each application once."""

import datetime
import time

import pytest
from django.utils import timezone

from candidatures.models import Statut
from mentorat.celery import app
from rgpd.models import Expiration, Nature
from rgpd.tasks import lister_expirations
from tests.factories import CandidatureFactory, PromotionFactory
from tests.suivi.test_celery_reel import REDIS_URL, worker_reel
from tests.suivi.test_celery_reel import file_d_attente as file_d_attente  # the fixture, shared

pytestmark = [pytest.mark.celery_reel, pytest.mark.lent, pytest.mark.django_db(transaction=True)]


def test_worker_reel_liste_chaque_candidature_une_seule_fois(tmp_path, monkeypatch, file_d_attente):
    # The worker runs on the real clock: a promotion that closed three years ago.
    maintenant = timezone.now()
    promotion = PromotionFactory(
        est_courante=False,
        ouverture_candidatures=maintenant - datetime.timedelta(days=3 * 365 + 30),
        cloture_candidatures=maintenant - datetime.timedelta(days=3 * 365),
        journee_lancement=timezone.localdate() - datetime.timedelta(days=3 * 365 - 60),
    )
    anciennes = CandidatureFactory.create_batch(2, promotion=promotion, statut=Statut.NON_RETENUE)
    with worker_reel(tmp_path, file_d_attente):
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        with app.connection_for_write(REDIS_URL) as connexion:
            for _ in range(2):
                lister_expirations.apply_async(connection=connexion, queue=file_d_attente)
        fin = time.monotonic() + 60
        while time.monotonic() < fin and Expiration.objects.count() < 2:
            time.sleep(0.5)
        time.sleep(3)  # a second listing of the same application would show up by now

    assert sorted(Expiration.objects.values_list("nature", "candidature_id")) == sorted(
        (Nature.CANDIDATURE, c.pk) for c in anciennes
    )
