"""The outbox with real processes: a Celery worker and a beat, a Redis of this test's own, a real SMTP server.

Redis is started on a free port with a pidfile and stopped by its id (the machine's shared Redis is never
touched). The worker and the beat run in other processes against the test database; the SMTP server runs on
loopback in this process (tests/serveur_smtp.py) and counts the messages each recipient received. Short
delays stand for the production ones (a lease of 8 s instead of 10 min, retries after 1 s instead of 1 min).
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorat import courriels
from mentorat.celery import app
from mentorat.models import Courriel, EtatEnvoi
from tests.candidatures.conftest import donnees_mentore
from tests.serveur_smtp import ServeurSmtp, port_libre
from tests.suivi.test_celery_reel import _url_base_de_test

pytestmark = [pytest.mark.celery_reel, pytest.mark.lent, pytest.mark.django_db(transaction=True)]


# Redis, the worker and the beat run on the machine's real clock, like the shared services, even when the suite
# runs under `faketime`: libfaketime, inherited through LD_PRELOAD, hangs redis-server's daemonising and redis-cli,
# and the worker's broker polling with it.
HORLOGE_REELLE = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "FAKETIME")}


class Redis:
    """A redis-server of our own: started on a free port, stopped (and restarted) by its pid."""

    def __init__(self, dossier: Path) -> None:
        self.port = port_libre()
        self.pidfile = dossier / "redis.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def demarrer(self) -> None:
        commande = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "yes"]
        commande += ["--pidfile", str(self.pidfile), "--save", "", "--appendonly", "no"]
        subprocess.run(commande, check=True, stdout=subprocess.DEVNULL, env=HORLOGE_REELLE, timeout=30)  # noqa: S603
        attendre(self.repond)

    def repond(self) -> bool:
        ping = ["redis-cli", "-p", str(self.port), "ping"]
        try:
            reponse = subprocess.run(ping, capture_output=True, check=False, env=HORLOGE_REELLE, timeout=5)  # noqa: S603
        except subprocess.TimeoutExpired:
            return False
        return reponse.returncode == 0

    def arreter(self) -> None:
        pid = int(self.pidfile.read_text())
        os.kill(pid, signal.SIGTERM)
        attendre(lambda: not Path(f"/proc/{pid}").exists())


def attendre(condition: Callable[[], bool], delai: float = 60) -> None:
    fin = time.monotonic() + delai
    while not condition():
        if time.monotonic() > fin:
            raise AssertionError("délai dépassé")
        time.sleep(0.2)


@pytest.fixture
def redis_de_test(tmp_path) -> Iterator[Redis]:
    redis = Redis(tmp_path)
    redis.demarrer()
    try:
        yield redis
    finally:
        if redis.pidfile.exists():
            redis.arreter()


@pytest.fixture
def smtp() -> Iterator[ServeurSmtp]:
    with ServeurSmtp() as serveur:
        yield serveur


@pytest.fixture
def vers_le_broker(redis_de_test, monkeypatch) -> Iterator[None]:
    """This process's Celery app publishes to the test's Redis, as the web process does in production."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", redis_de_test.url)
    monkeypatch.setattr(app, "_pool", None)  # the producers' pool is made again, for this broker
    yield
    app.pool.force_close_all()  # type: ignore[attr-defined]  # a ConnectionPool; the stubs say otherwise


@pytest.fixture
def processus(tmp_path, redis_de_test, smtp) -> Iterator[dict[str, subprocess.Popen]]:
    """A worker with one pool process, and a beat sweeping the outbox every second."""
    environnement = {
        **HORLOGE_REELLE,
        "DEBUG": "true",
        "DATABASE_URL": _url_base_de_test(),
        "CELERY_BROKER_URL": redis_de_test.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "EMAIL_TIMEOUT": "2",
        "CELERY_TASK_SOFT_TIME_LIMIT": "4",
        "CELERY_TASK_TIME_LIMIT": "6",
        "COURRIELS_BAIL_SECONDES": "8",
        "COURRIELS_RELANCE_MIN_SECONDES": "1",
        "COURRIELS_RELANCE_MAX_SECONDES": "2",
        "COURRIELS_BALAYAGE_SECONDES": "1",
    }
    commandes = {
        "worker": ["worker", "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        "beat": ["beat", "--schedule", str(tmp_path / "beat-schedule")],
    }
    lances = {
        nom: subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "celery", "-A", "mentorat", *arguments, "--loglevel", "WARNING"],
            cwd=settings.BASE_DIR,
            env=environnement,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"{nom}.log", "w"),  # noqa: SIM115
        )
        for nom, arguments in commandes.items()
    }
    try:
        yield lances
    finally:
        # The worker's cold shutdown (SIGQUIT): a warm one waits for its pool process, 10 s and more on a busy
        # machine, for nothing here; the rows it leaves go with the test's flush.
        lances["worker"].send_signal(signal.SIGQUIT)
        lances["beat"].terminate()
        for lance in lances.values():
            try:
                lance.wait(timeout=20)
            except subprocess.TimeoutExpired:
                lance.kill()
                lance.wait()


def _en_file(*adresses: str) -> list[Courriel]:
    with transaction.atomic():
        return [
            courriels.mettre_en_file(
                "courriels-echecs", [adresse], {"nombre": 1, "lien": "https://exemple.fr/"}, cle=f"essai:{adresse}"
            )
            for adresse in adresses
        ]


def _etat(adresse: str) -> Courriel:
    return Courriel.objects.get(cle=f"essai:{adresse}")


def _rien_de_plus(secondes: float = 4) -> None:
    """Let the sweeps run a few more times: a message sent twice would show up."""
    time.sleep(secondes)


ADRESSES = ["a@exemple.fr", "b@exemple.fr", "c@exemple.fr"]


def test_a_redis_arrete_pendant_une_candidature_l_accuse_arrive_une_fois_au_retour(
    client, promotion, redis_de_test, smtp, vers_le_broker, processus
):
    redis_de_test.arreter()

    reponse = client.post(reverse("candidatures:candidater_mentore"), donnees_mentore(promotion), follow=True)

    assert reponse.status_code == 200
    assert reponse.redirect_chain == [(reverse("candidatures:mon_espace"), 302)]
    assert "Centre hospitalier de Libourne" in reponse.content.decode()
    time.sleep(2)
    assert smtp.recus == {}
    redis_de_test.demarrer()
    attendre(lambda: smtp.recus["aurore.delabarre@ch-exemple.fr"] == 1, delai=90)
    _rien_de_plus()
    assert smtp.recus == {"aurore.delabarre@ch-exemple.fr": 1}


def test_b_processus_tue_pendant_l_envoi_chaque_message_arrive_une_fois(smtp, vers_le_broker, processus):
    smtp.mode("muet")
    _en_file(*ADRESSES)
    attendre(lambda: sum(smtp.comportement.tentatives.values()) >= 1)
    # The worker's only pool process is in the middle of an SMTP conversation: kill it.
    enfants = Path(f"/proc/{processus['worker'].pid}/task/{processus['worker'].pid}/children").read_text().split()
    assert len(enfants) == 1
    os.kill(int(enfants[0]), signal.SIGKILL)
    smtp.mode("accepte")

    attendre(lambda: sum(smtp.recus.values()) == 3, delai=90)
    _rien_de_plus()
    assert smtp.recus == dict.fromkeys(ADRESSES, 1)
    assert sorted(c.tentatives for c in Courriel.objects.all()) == [1, 1, 2]  # the killed one was tried again


def test_c_451_pendant_plus_d_une_heure_puis_retour_tout_arrive_une_fois(smtp, vers_le_broker, processus):
    smtp.mode("451")
    _en_file(*ADRESSES)
    attendre(lambda: all(_etat(a).tentatives >= 2 for a in ADRESSES))
    # More than an hour of refusals, as the rows count it: the first error goes back two hours.
    Courriel.objects.update(premiere_erreur_le=timezone.now() - timezone.timedelta(hours=2))
    essais = {a: _etat(a).tentatives for a in ADRESSES}
    attendre(lambda: all(_etat(a).tentatives >= essais[a] + 2 for a in ADRESSES))
    assert all(_etat(a).etat == EtatEnvoi.EN_RETARD for a in ADRESSES)
    assert smtp.recus == {}

    smtp.mode("accepte")
    attendre(lambda: sum(smtp.recus.values()) == 3)
    _rien_de_plus()
    assert smtp.recus == dict.fromkeys(ADRESSES, 1)
    assert all(_etat(a).etat == EtatEnvoi.ENVOYE for a in ADRESSES)


def test_d_550_abandonne_apres_un_essai_et_montre_au_tableau_de_bord(
    client, ingenieur, smtp, vers_le_broker, processus
):
    smtp.mode("550")
    _en_file("inconnu@exemple.fr")
    attendre(lambda: _etat("inconnu@exemple.fr").etat == EtatEnvoi.ECHOUE)
    _rien_de_plus()

    courriel = _etat("inconnu@exemple.fr")
    assert courriel.tentatives == 1
    assert smtp.comportement.tentatives == {"inconnu@exemple.fr": 1}
    client.force_login(ingenieur)
    page = client.get(reverse("suivi:tableau_de_bord")).content.decode()
    assert "1 courriel en échec ou en retard" in page
    assert "inconnu@exemple.fr : 550 5.1.1 Adresse inconnue" in page


def test_e_serveur_muet_delai_depasse_place_liberee_puis_nouvel_essai(smtp, vers_le_broker, processus):
    smtp.mode("muet")
    _en_file("a@exemple.fr")
    attendre(lambda: "timed out" in _etat("a@exemple.fr").derniere_erreur)
    assert _etat("a@exemple.fr").reserve_le is None

    smtp.mode("accepte")
    _en_file("b@exemple.fr")  # the worker's only slot is free again: it sends the next one
    attendre(lambda: sum(smtp.recus.values()) == 2)
    _rien_de_plus()
    assert smtp.recus == {"a@exemple.fr": 1, "b@exemple.fr": 1}
