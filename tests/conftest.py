"""Personas shared by every test, and the Playwright harness on Debian's Chromium."""

import datetime
import os
import shutil

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import settings as hypothesis_settings

from mentorat.models import Utilisateur
from mentorat.rules import compte_du_comite

from .factories import (
    AppareilTotpFactory,
    BinomeFactory,
    CandidatureFactory,
    IngenieurFactory,
    MentorFactory,
    PiloteFactory,
    PromotionFactory,
    UtilisateurFactory,
)

# Property tests: a short run on every test run and in CI, a long one on demand
# (HYPOTHESIS_PROFILE=long bash scripts/test.sh tests/candidatures/test_proprietes.py).
hypothesis_settings.register_profile("court", max_examples=15)
hypothesis_settings.register_profile("long", max_examples=500)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "court"))

# pytest-playwright's sync API runs an event loop in the main thread; the ORM
# calls made by the same browser tests must still be allowed.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


# Tests marked `horloges` run once at each of these instants, when Paris and UTC name different days (and the
# day is 23 or 25 hours long in Paris): a date taken from UTC rather than Paris then fails at any hour of the
# day, not only in the hour after midnight. The clock keeps running from there.
HORLOGES = {
    # 00:30 in Paris on 2 December.
    "23h30-utc": datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC),
    # 00:30 in Paris on 28 March 2027; clocks go forward at 2:00.
    "passage-a-l-heure-d-ete": datetime.datetime(2027, 3, 27, 23, 30, tzinfo=datetime.UTC),
    # 00:30 (summer time) in Paris on 31 October 2027; clocks go back at 3:00.
    "passage-a-l-heure-d-hiver": datetime.datetime(2027, 10, 30, 22, 30, tzinfo=datetime.UTC),
}


@pytest.hookimpl(trylast=True)  # after pytest-django has put the tests in Django's order
def pytest_collection_modifyitems(items):
    """The long tests (`lent`) that need no database start first: on several processes they then run beside the
    others rather than alone at the end. Those that use the database keep Django's order (transactional last)."""

    def plus_tard(item) -> bool:
        base = {"db", "transactional_db", "live_server"} & set(item.fixturenames)
        return not item.get_closest_marker("lent") or bool(base or item.get_closest_marker("django_db"))

    items.sort(key=plus_tard)


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("horloges"):
        metafunc.parametrize("horloge", list(HORLOGES.values()), ids=list(HORLOGES), indirect=True)


@pytest.fixture(autouse=True)
def horloge(request):
    """The instant a test marked `horloges` starts at (None for the others, which run on the real clock).

    Autouse, so that it is set up before the test's other fixtures create their rows. time-machine moves the
    clock of this process only (the live server's threads included, not a Celery worker's process).
    """
    instant = getattr(request, "param", None)
    if instant is None:
        yield None
        return
    with time_machine.travel(instant, tick=True):
        yield instant


@pytest.fixture
def base_de_mesure_existe():
    """Whether the benchmarks' own database (see `mentorat.mesures`) exists next to the test database."""

    def existe() -> bool:
        with connection.cursor() as curseur:
            curseur.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"{connection.settings_dict['NAME']}_mesure"]
            )
            return curseur.fetchone() is not None

    return existe


@pytest.fixture(autouse=True)
def _courriels_en_memoire(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _cache_vide():
    """Rate-limit counters (Django's cache) start from zero in every test, whatever ran before in this process."""
    cache.clear()
    yield
    cache.clear()


class ClientDuComite(Client):
    """Django's test client, whose sign-in of a committee account also passes the second factor, as the code page
    would (a confirmed TOTP device, recorded in the session like `django_otp.login`). The tests of the second
    factor itself pass `second_facteur=False`.

    `login` hands django-axes the request it requires (Django's `Client.login` authenticates without one)."""

    def login(self, *, second_facteur: bool = True, **credentials):
        credentials.setdefault("request", RequestFactory().post(reverse("login")))
        connecte = super().login(**credentials)
        if connecte and second_facteur:
            self._passer_le_second_facteur(Utilisateur.objects.get(pk=self.session[SESSION_KEY]))
        return connecte

    def force_login(self, user, backend=None, *, second_facteur: bool = True):
        super().force_login(user, backend)
        if second_facteur:
            self._passer_le_second_facteur(user)

    def _passer_le_second_facteur(self, user) -> None:
        if compte_du_comite(user):
            appareil = AppareilTotpFactory.confirme_pour(user)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
            session.save()


@pytest.fixture
def client():
    return ClientDuComite()


@pytest.fixture
def admin_client(admin_user):
    client = ClientDuComite()
    client.force_login(admin_user)
    return client


@pytest.fixture
def promotion(db):
    return PromotionFactory()


@pytest.fixture
def pilote(db):
    return PiloteFactory(prenom="Hélène", nom="Pilote")


@pytest.fixture
def ingenieur(db):
    return IngenieurFactory(prenom="Ingrid", nom="Ingénieure")


@pytest.fixture
def candidat(promotion):
    """A mentee applicant, not (yet) in a pair."""
    return CandidatureFactory(promotion=promotion, utilisateur__prenom="Camille", utilisateur__nom="Candidat")


@pytest.fixture
def binome(promotion, ingenieur):
    return BinomeFactory(promotion=promotion, referent=ingenieur)


@pytest.fixture
def mentor(binome):
    """The mentor (a user) of `binome`."""
    return binome.mentor.utilisateur


@pytest.fixture
def mentore(binome):
    """The mentee (a user) of `binome`."""
    return binome.mentore.utilisateur


@pytest.fixture
def intrus(promotion):
    """A member of another pair of the same promotion."""
    return BinomeFactory(promotion=promotion).mentore.utilisateur


@pytest.fixture
def autre_mentor(promotion):
    return MentorFactory(promotion=promotion)


@pytest.fixture
def utilisateur(db):
    return UtilisateurFactory()
