"""Personas shared by every test, and the Playwright harness on Debian's Chromium."""

import os
import shutil

import pytest

from .factories import (
    BinomeFactory,
    CandidatureFactory,
    IngenieurFactory,
    MentorFactory,
    PiloteFactory,
    PromotionFactory,
    UtilisateurFactory,
)

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


@pytest.fixture(autouse=True)
def _courriels_en_memoire(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


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
