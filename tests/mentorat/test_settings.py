import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]


def _demarrer(**variables):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL")}
    env.update(variables, DJANGO_SETTINGS_MODULE="mentorat.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


SMTP = "smtp+tls://mentorat:secret@smtp.example.fr:587"


def test_production_sans_secret_key_refuse_de_demarrer():
    resultat = _demarrer(DEBUG="false", ALLOWED_HOSTS="mentorat.example.fr", EMAIL_URL=SMTP)

    assert resultat.returncode != 0
    assert "SECRET_KEY manquante ou trop courte" in resultat.stderr


def test_production_sans_allowed_hosts_refuse_de_demarrer():
    resultat = _demarrer(DEBUG="false", SECRET_KEY="x" * 50, EMAIL_URL=SMTP)

    assert resultat.returncode != 0
    assert "ALLOWED_HOSTS est vide" in resultat.stderr


def test_production_bien_configuree_demarre():
    resultat = _demarrer(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="mentorat.example.fr", EMAIL_URL=SMTP)

    assert resultat.returncode == 0, resultat.stderr


@pytest.mark.parametrize(
    "email_url", ["", "consolemail://", "dummymail://", "memorymail://", "filemail:///tmp/courriels"]
)
def test_production_refuse_de_demarrer_sans_smtp(email_url):
    """Reset links and questionnaire tokens would end up in logs or on disk, or nowhere at all."""
    variables = {"EMAIL_URL": email_url} if email_url else {}
    resultat = _demarrer(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="mentorat.example.fr", **variables)

    assert resultat.returncode != 0
    assert "EMAIL_URL ne désigne pas un serveur SMTP" in resultat.stderr


def test_developpement_accepte_la_console():
    resultat = _demarrer(DEBUG="true", EMAIL_URL="consolemail://")

    assert resultat.returncode == 0, resultat.stderr


def test_developpement_demarre_sans_configuration():
    resultat = _demarrer(DEBUG="true")

    assert resultat.returncode == 0, resultat.stderr


def test_reglages_francais(settings):
    assert settings.LANGUAGE_CODE == "fr-fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_production_passe_les_verifications_de_deploiement_de_django():
    """`check --deploy`: HTTPS redirect, HSTS, secure cookies, no DEBUG; a warning fails the test."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' own, never a deployment's.
    ecartees = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in ecartees}
    env.update(DEBUG="false", SECRET_KEY="k7#Qz!" * 10, ALLOWED_HOSTS="mentorat.example.fr", EMAIL_URL=SMTP)

    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert resultat.returncode == 0, resultat.stderr
