"""No log keeps a personal link's token: read what Django's handler, gunicorn and a Celery worker actually write.

A questionnaire token names the invitation: a dated log line holding it would tell who answered when (issue:
Django's request logger printed `Gone: /questionnaire/<token>/`).
"""

import http.client
import io
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from evaluation import services
from evaluation.models import Invitation
from mentorat.masquage import MASQUE, MasqueLiensPersonnels, masquer
from suivi import services as suivi

from ..evaluation.conftest import fermer
from ..evaluation.factories import CampagneFactory

RACINE = Path(__file__).resolve().parents[2]


@pytest.fixture
def campagne(binome):
    campagne = CampagneFactory(promotion=binome.promotion)
    services.creer_invitations(campagne=campagne)
    return campagne


@pytest.fixture
def sortie_des_journaux():
    """What the handler that Django's LOGGING puts on the root logger writes, as it writes it."""
    [gestionnaire] = [
        g for g in logging.getLogger().handlers if any(isinstance(f, MasqueLiensPersonnels) for f in g.filters)
    ]
    tampon = io.StringIO()
    ancien = gestionnaire.setStream(tampon)
    yield tampon
    gestionnaire.setStream(ancien)


def test_masquer_chaque_lien_personnel():
    lignes = {
        "Gone: /questionnaire/MTIz:1tQ9xY:Zx-ab_c/": f"Gone: /questionnaire/{MASQUE}/",
        "GET https://mentorat.example.fr/questionnaire/abc/?x=1 HTTP/1.1": (
            f"GET https://mentorat.example.fr/questionnaire/{MASQUE}/?x=1 HTTP/1.1"
        ),
        "Not Found: /calendrier/Jeton-Secret_1.ics": f"Not Found: /calendrier/{MASQUE}",
        "Bad Request: /candidature/confirmer/MTI/c3-abcdef/": f"Bad Request: /candidature/confirmer/{MASQUE}/",
        "/compte/mot-de-passe/nouveau/MTI/set-password/": f"/compte/mot-de-passe/nouveau/{MASQUE}/",
        "Not Found: /binomes/12/": "Not Found: /binomes/12/",
    }
    assert {ligne: masquer(ligne) for ligne in lignes} == lignes


def test_le_journal_des_requetes_de_django_ne_garde_pas_le_jeton(client, campagne, mentore, sortie_des_journaux):
    invitation = Invitation.objects.get(campagne=campagne, utilisateur=mentore)
    jeton = services.jeton(invitation)
    fermer(campagne)
    calendrier = suivi.jeton_calendrier(utilisateur=mentore).jeton

    assert client.get(reverse("evaluation:questionnaire", args=[jeton])).status_code == 410
    assert client.get(reverse("suivi:ics", args=[calendrier + "x"])).status_code == 404
    assert client.get("/calendrier/%00" + calendrier + ".ics").status_code == 400

    journal = sortie_des_journaux.getvalue()
    assert f"Gone: /questionnaire/{MASQUE}/" in journal
    assert f"Not Found: /calendrier/{MASQUE}" in journal
    assert jeton not in journal
    assert calendrier not in journal


def test_une_erreur_avec_sa_trace_ne_garde_pas_le_jeton(sortie_des_journaux):
    try:
        raise ValueError("lien /questionnaire/JETON-DANS-L-EXCEPTION/ refusé")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: /questionnaire/JETON-DU-CHEMIN/")

    journal = sortie_des_journaux.getvalue()
    assert "Traceback" in journal
    assert "JETON" not in journal
    assert f"Internal Server Error: /questionnaire/{MASQUE}/" in journal
    assert f"ValueError: lien /questionnaire/{MASQUE}/ refusé" in journal


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environnement(**autres) -> dict:
    base = settings.DATABASES["default"]
    url = f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{base['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in {"CELERY_BROKER_URL", "EMAIL_URL"}}
    return {**env, "DEBUG": "true", "DATABASE_URL": url, **autres}


def test_gunicorn_sans_jeton_dans_ses_journaux_ni_entete_server(campagne, mentore, tmp_path):
    """gunicorn as the container runs it (gunicorn.conf.py), with its access log turned on for the test."""
    jeton = services.jeton(Invitation.objects.get(campagne=campagne, utilisateur=mentore)) + "-autre"
    port = _port_libre()
    sortie = tmp_path / "gunicorn.log"
    with sortie.open("w") as fichier:
        serveur = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                "-",
                "mentorat.wsgi:application",
            ],
            cwd=RACINE,
            env=_environnement(),
            stdout=fichier,
            stderr=subprocess.STDOUT,
        )
    try:
        entetes, statut = None, None
        for _ in range(100):
            try:
                connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
                connexion.request("GET", f"/questionnaire/{jeton}/")
                reponse = connexion.getresponse()
                reponse.read()
                entetes, statut = dict(reponse.getheaders()), reponse.status
                break
            except ConnectionRefusedError:
                time.sleep(0.2)
        assert statut == 404
        assert entetes is not None
        assert "Server" not in entetes
        assert "no-store" in entetes["Cache-Control"]
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)

    journal = sortie.read_text()
    assert f"GET /questionnaire/{MASQUE}/" in journal  # the access log's line
    assert f"Not Found: /questionnaire/{MASQUE}/" in journal  # Django's request logger, in the worker
    assert jeton not in journal


CELERY = """
import logging, sys
from celery.utils.log import get_task_logger
from mentorat.celery import app
app.loader.import_default_modules()  # as a worker starts: Django set up, its LOGGING applied
app.log.setup(loglevel="INFO", logfile=sys.argv[1])  # then the worker's own logging
logging.getLogger("celery.worker.strategy").info("Task reçue : /questionnaire/JETON-DU-WORKER/")
get_task_logger("evaluation.tasks").warning("Lien https://site/questionnaire/JETON-DE-LA-TACHE/ envoyé")
logging.getLogger("django.request").warning("Gone: /questionnaire/JETON-DE-DJANGO/")
"""


def test_les_journaux_d_un_worker_celery_ne_gardent_pas_le_jeton(tmp_path):
    fichier = tmp_path / "worker.log"

    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", CELERY, str(fichier)], cwd=RACINE, env=_environnement(), check=True, timeout=60
    )

    journal = fichier.read_text()
    assert journal.count(f"/questionnaire/{MASQUE}/") == 3
    assert "JETON" not in journal
