"""Sessions read from Redis when the cache is shared (`CACHE_URL=redis://…`), and still ended everywhere at once."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from mentorat.middleware import CLE_ACTIVITE
from tests.conftest import ClientDuComite
from tests.factories import MOT_DE_PASSE, BinomeFactory

RACINE = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def moteur_des_sessions(**variables) -> str:
    return reglage("SESSION_ENGINE", **variables)


def reglage(expression: str, **variables) -> str:
    """`settings.<expression>` as the project's settings give it with these environment variables."""
    env = {cle: valeur for cle, valeur in os.environ.items() if cle != "CACHE_URL"}
    env.update(variables, DJANGO_SETTINGS_MODULE="mentorat.settings", DEBUG="true")
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{expression})"
    resultat = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return resultat.stdout.strip()


def test_les_sessions_passent_par_redis_quand_le_cache_est_partage():
    assert moteur_des_sessions(CACHE_URL=REDIS) == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize(
    "adresse", ["rediss://cache.example:6380/0", "pymemcache://127.0.0.1:11211", "dbcache://cache"]
)
def test_les_sessions_passent_par_tout_cache_partage(adresse):
    assert moteur_des_sessions(CACHE_URL=adresse) == "django.contrib.sessions.backends.cached_db"


@pytest.mark.parametrize("adresse", [None, "filecache:///tmp/cache-mentorat", "dummycache://"])
def test_les_sessions_restent_en_base_avec_le_cache_de_chaque_processus(adresse):
    # A session signed out in one worker would live on in another's memory (or on another machine's disk): the
    # database alone.
    variables = {"CACHE_URL": adresse} if adresse else {}
    assert moteur_des_sessions(**variables) == "django.contrib.sessions.backends.db"


@pytest.fixture
def sessions_dans_redis(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_une_session_fermee_l_est_pour_tous_les_processus(sessions_dans_redis, django_assert_num_queries):
    membre = BinomeFactory().mentor.utilisateur
    navigateur = ClientDuComite()
    assert navigateur.login(email=membre.email, password=MOT_DE_PASSE)
    # The same cookie sent to another worker: it shares Redis and the database.
    autre_processus = ClientDuComite()
    autre_processus.cookies = navigateur.cookies
    assert autre_processus.get(reverse("binomes:espace")).status_code == 200

    navigateur.post(reverse("logout"))

    assert autre_processus.get(reverse("binomes:espace")).status_code == 302


@pytest.mark.django_db
def test_la_session_est_lue_dans_redis(sessions_dans_redis, django_assert_num_queries):
    membre = BinomeFactory().mentor.utilisateur
    navigateur = ClientDuComite()
    assert navigateur.login(email=membre.email, password=MOT_DE_PASSE)
    navigateur.get(reverse("binomes:espace"))

    # user with its groups (committee predicate), the version of the page's tables: no read of the session table.
    with django_assert_num_queries(2):
        assert navigateur.get(reverse("binomes:espace")).status_code == 200


@pytest.mark.django_db
def test_la_session_du_comite_finit_apres_l_inactivite_avec_redis(sessions_dans_redis, ingenieur, settings):
    settings.COMITE_SESSION_INACTIVITE = 2 * 60 * 60
    navigateur = ClientDuComite()
    navigateur.force_login(ingenieur)
    session = navigateur.session
    session[CLE_ACTIVITE] = int(time.time()) - 2 * 60 * 60 - 1
    session.save()

    reponse = navigateur.get(reverse("candidatures:mon_espace"), follow=True)

    assert "période d&#x27;inactivité" in reponse.content.decode()
    assert "_auth_user_id" not in navigateur.session
