"""`make backup` then `make restore` into a new database: the site runs on it, and the outbox knows what left."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mentorat.models import Courriel
from tests.factories import PromotionFactory
from tests.suivi.test_celery_reel import _url_base_de_test

pytestmark = [pytest.mark.lent, pytest.mark.django_db(transaction=True)]

PAGE = (
    "import django; django.setup(); from django.test import Client; "
    "from mentorat.models import Courriel; "
    "r = Client().get('/'); print(r.status_code); print(r.content.decode()); "
    "print(list(Courriel.objects.filter(envoye_le__isnull=False).values_list('cle', flat=True)))"
)


@pytest.fixture
def base_restauree():
    nom = f"{connection.settings_dict['NAME']}_restauree"
    with connection.cursor() as curseur:
        curseur.execute(f'DROP DATABASE IF EXISTS "{nom}"')
        curseur.execute(f'CREATE DATABASE "{nom}"')
    yield nom
    with connection.cursor() as curseur:
        curseur.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


def test_sauvegarde_restauree_dans_une_nouvelle_base_sert_le_site(tmp_path, base_restauree):
    promotion = PromotionFactory(nom="Sauvegardée 2031")
    Courriel.objects.create(cle="parti", nom="candidature-statut", envoye_le=timezone.now())
    environnement = {**os.environ, "DATABASE_URL": _url_base_de_test(), "SAUVEGARDES": str(tmp_path)}

    subprocess.run(["make", "-s", "backup"], cwd=settings.BASE_DIR, env=environnement, check=True)  # noqa: S607
    (sauvegarde,) = tmp_path.glob("mentorat-*.dump")
    restauree = _url_base_de_test().rsplit("/", 1)[0] + f"/{base_restauree}"
    subprocess.run(  # noqa: S603
        ["make", "-s", "restore", f"FICHIER={sauvegarde}"],  # noqa: S607
        cwd=settings.BASE_DIR,
        env={**environnement, "DATABASE_URL": restauree},
        check=True,
    )
    page = subprocess.run(  # noqa: S603 - a fixed snippet of ours
        [sys.executable, "-c", PAGE],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "true", "DATABASE_URL": restauree, "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert page.startswith("200\n")
    assert promotion.nom in page
    assert page.rstrip().endswith("['parti']")  # sent before the dump: not sent again from the restored base
