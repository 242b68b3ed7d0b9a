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


# The longest tests, in seconds, as `--durations` measured them on a busy two-core machine divided by its load (by
# node id, or a prefix of it: a file, a parametrized test). Each starts first within its group below; a test not
# named here counts as short. Kept rough: only the order matters.
DUREES = {
    "tests/mentorat/test_deploiement.py::test_l_image_sert": 50,
    "tests/e2e/test_axe_comite.py": 40,
    "tests/mentorat/test_bench.py::test_le_banc_mesure": 30,
    "tests/mentorat/test_demo.py::test_demo_donne_des_comptes": 30,
    "tests/mentorat/test_demo.py::test_demo_ecrit_ses_courriels": 28,
    "tests/e2e/test_binomes.py::test_le_comite_apparie_la_promotion_de_demonstration": 25,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur": 4,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[candidatures.": 20,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[mentorat.Entree": 12,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[binomes.Binome]": 10,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[suivi.Rappel]": 10,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[axes.AccessLog]": 8,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[suivi.Rencontre]": 6,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[axes.AccessAttempt]": 6,
    "tests/mentorat/test_entrees_illisibles.py::test_listes_de_l_admin_sans_erreur_du_serveur[mentorat.Utilisateur]": 6,
    "tests/mentorat/test_bench.py::test_le_banc_profile": 15,
    "tests/e2e/test_accessibilite.py::test_aucune_page_ne_defile": 15,
    "tests/suivi/test_celery_reel.py": 12,
    "tests/mentorat/test_courriels_reels.py": 18,
    "tests/rgpd/test_celery_reel.py": 8,
    "tests/test_demonstration.py": 10,  # the module's demo, made by its first test
    "tests/evaluation/test_benchmark.py": 8,
    "tests/suivi/test_demo_et_mesure.py::test_benchmark": 6,
    "tests/mentorat/test_benchmark_tableau_de_bord.py": 6,
    "tests/candidatures/test_mesure.py": 6,
    "tests/mentorat/test_benchmark_balayage.py": 5,
    "tests/rgpd/test_benchmark.py": 5,
    "tests/e2e/test_binomes.py::test_le_binome_confirme": 8,
    "tests/e2e/test_evaluation.py::test_un_ingenieur_commente": 8,
    "tests/e2e/test_rgpd.py": 8,
    "tests/mentorat/test_settings.py::test_production_passe": 6,
    "tests/mentorat/test_settings.py::test_production_bien": 5,
    "tests/mentorat/test_settings.py::test_developpement": 4,
    "tests/e2e/test_candidatures.py::test_le_comite_filtre": 5,
    "tests/mentorat/test_sauvegarde.py": 6,
    "tests/candidatures/test_proprietes.py": 5,
    "tests/suivi/test_tableau_de_bord.py::test_administration_des_rencontres": 6,
    "tests/e2e/test_comptes.py": 5,
    "tests/mentorat/test_journaux.py": 4,
    "tests/mentorat/test_entetes.py::test_form_action": 3,
    "tests/candidatures/test_demo.py": 3,
    "tests/e2e": 3,
}


def _duree_estimee(item) -> float:
    prefixes = [prefixe for prefixe in DUREES if item.nodeid.startswith(prefixe)]
    return DUREES[max(prefixes, key=len)] if prefixes else 0.0


def _groupe(item) -> int:
    """Django's order, as pytest-django sorts it (a transactional test's flush empties the tables that data
    migrations filled: the tests that roll back run before), except the long tests without a database (`lent`, or
    four seconds in `DUREES`), which start first: on several processes they then run beside the others rather than
    alone at the end."""
    fixtures = set(item.fixturenames)
    marqueur = item.get_closest_marker("django_db")
    transactionnel = bool({"transactional_db", "live_server"} & fixtures) or bool(
        marqueur and (marqueur.kwargs.get("transaction") or marqueur.kwargs.get("reset_sequences"))
    )
    if transactionnel:
        return 2
    if marqueur or "db" in fixtures:
        return 1
    return 0 if item.get_closest_marker("lent") or _duree_estimee(item) >= 4 else 3


@pytest.hookimpl(trylast=True)  # after pytest-django has put the tests in Django's order
def pytest_collection_modifyitems(items):
    """Within each group of `_groupe`, the longest tests first (`DUREES`): with `--dist worksteal` the processes
    then end on short tests, together, rather than one waiting for the other's long test started last."""
    items.sort(key=lambda item: (_groupe(item), -_duree_estimee(item)))


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


@pytest.fixture(scope="session", autouse=True)
def _vidage_par_delete():
    """After each transactional test, Django empties every table by a flush: on PostgreSQL one TRUNCATE of the
    fifty tables, which makes each of them a new file, 0.3 to 4 s on a busy disk. A DELETE per table leaves the same
    empty tables (foreign keys are deferred to the flush's commit, sequences are not reset either way) in a few
    milliseconds, the tables holding a handful of rows."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    tronquer = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return tronquer(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(scope="session", autouse=True)
def _base_modele(request, django_db_setup, django_db_blocker):
    """A copy of this process's test database as migrated, made before any test writes to it (the flush after a
    transactional test empties the tables the data migrations filled): the benchmarks' own databases are created
    from it (`base_de_mesure_existe`), which their migration then finds up to date, rather than migrated from zero
    each time (13 s). Made only when such a test is to run here, on PostgreSQL (the only engine they measure)."""
    if connection.vendor != "postgresql" or not any(
        "base_de_mesure_existe" in item.fixturenames for item in request.session.items
    ):
        yield None
        return
    nom = f"{connection.settings_dict['NAME']}_modele"
    with django_db_blocker.unblock():
        connection.close()  # CREATE DATABASE … TEMPLATE needs the template without connections
        with connection._nodb_cursor() as curseur:
            curseur.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(nom)}")
            curseur.execute(
                f"CREATE DATABASE {connection.ops.quote_name(nom)} "
                f"TEMPLATE {connection.ops.quote_name(connection.settings_dict['NAME'])}"
            )
    yield nom
    with django_db_blocker.unblock():
        connection.close()
        with connection._nodb_cursor() as curseur:
            curseur.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(nom)}")


@pytest.fixture
def base_de_mesure_existe(_base_modele, monkeypatch):
    """Whether the benchmarks' own database (see `mentorat.mesures`) exists next to the test database.

    Requested by every benchmark test: their database is then created as a copy of the migrated one (`_base_modele`,
    through the TEMPLATE test setting that `create_test_db` reads), where `migrate` still runs and finds nothing to
    do. (Migrating from zero through `create_test_db` is what made this process's test database.)"""
    if _base_modele:
        monkeypatch.setitem(connection.settings_dict["TEST"], "TEMPLATE", _base_modele)

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
