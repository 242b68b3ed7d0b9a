"""One integration test with a real Celery worker on the real Redis broker.

The worker runs in another process against the test database; it writes e-mails
as files that this test reads, so that what arrived can be counted across processes.
It works on a queue of its own, named for this run, and deletes it at the end: the
Redis database is shared (parallel test workers, other clones) and is never flushed.
"""

import contextlib
import datetime
import email
import email.header
import os
import pathlib
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentorat.celery import app
from suivi.models import Rappel, TypeExport
from suivi.services import demander_export
from suivi.tasks import planifier_rappels, produire_export
from tests.conftest import ClientDuComite
from tests.factories import BinomeFactory, IngenieurFactory, PiloteFactory, PromotionFactory
from tests.suivi.factories import RencontreFactory

pytestmark = [pytest.mark.celery_reel, pytest.mark.lent, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _url_base_de_test() -> str:
    base = settings.DATABASES["default"]
    hote = f"{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}"
    identifiants = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
    return f"postgres://{identifiants}@{hote}/{base['NAME']}"


def _messages(dossier: pathlib.Path) -> list[str]:
    """The decoded subjects of the e-mails the worker wrote (one file per connection, messages separated)."""
    sujets = []
    for fichier in sorted(dossier.glob("*.log")):
        for brut in fichier.read_text().split("-" * 79):
            if brut.strip():
                entete = email.message_from_string(brut.strip())["Subject"]
                sujets.append(str(email.header.make_header(email.header.decode_header(entete))))
    return sujets


def _attendre(dossier: pathlib.Path, nombre: int, delai: float = 60) -> list[str]:
    fin = time.monotonic() + delai
    while time.monotonic() < fin and len(_messages(dossier)) < nombre:
        time.sleep(0.5)
    return _messages(dossier)


# The worker's process sends the tasks it enqueues itself (the e-mails) to the same queue.
DEMARRER_LE_WORKER = (
    "import sys; from mentorat.celery import app; app.conf.task_default_queue = sys.argv[1]; "
    "app.worker_main(['worker', '--queues', sys.argv[1], '--concurrency=2', '--loglevel=WARNING'])"
)


@contextlib.contextmanager
def worker_reel(dossier: pathlib.Path, file: str, **variables: str) -> Iterator[None]:
    """A real Celery worker on Redis, against the test database, consuming queue `file` until the block ends; its
    errors go to `dossier/worker.log`. `variables` add to its environment (e.g. EMAIL_URL)."""
    environnement = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": _url_base_de_test(),
        "CELERY_BROKER_URL": REDIS_URL,
        **variables,
    }
    worker = subprocess.Popen(  # noqa: S603 - our own snippet and a queue name we generated
        [sys.executable, "-c", DEMARRER_LE_WORKER, file],
        cwd=settings.BASE_DIR,
        env=environnement,
        stdout=subprocess.DEVNULL,
        stderr=open(dossier / "worker.log", "w"),  # noqa: SIM115
    )
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture
def file_d_attente():
    nom = f"essai-rappels-{uuid.uuid4().hex}"
    yield nom
    connexion = redis.Redis.from_url(REDIS_URL)
    for cle in connexion.scan_iter(f"*{nom}*"):  # the queue's list (and its priority lists, if any)
        connexion.delete(cle)
    for liaisons in connexion.scan_iter("_kombu.binding.*"):  # its binding to the exchange
        for membre in connexion.smembers(liaisons):
            if nom.encode() in membre:
                connexion.srem(liaisons, membre)


def test_worker_reel_envoie_les_rappels_dus_une_seule_fois(tmp_path, monkeypatch, file_d_attente):
    promotion = PromotionFactory(journee_lancement=timezone.localdate() - datetime.timedelta(days=120))
    relance, alerte, a_jour = BinomeFactory.create_batch(3, promotion=promotion)
    for binome, jours in ((relance, 45), (alerte, 60), (a_jour, 5)):
        RencontreFactory(binome=binome, date=timezone.localdate() - datetime.timedelta(days=jours))
    courriels = tmp_path / "courriels"
    courriels.mkdir()
    # Two processes: the two daily runs, then the sends, really happen side by side.
    # django-environ drops one slash of the file URL: keep the path absolute.
    with worker_reel(tmp_path, file_d_attente, EMAIL_URL=f"filemail:///{courriels}"):
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        with app.connection_for_write(REDIS_URL) as connexion:
            planifier_rappels.apply_async(connection=connexion, queue=file_d_attente)
            # A second run, as after a restarted beat.
            planifier_rappels.apply_async(connection=connexion, queue=file_d_attente)

        sujets = _attendre(courriels, 2)
        time.sleep(3)  # anything sent twice would show up by now
        sujets = _messages(courriels)

    assert sorted(sujets) == [
        "Mentorat : 8 semaines sans rencontre",
        "Mentorat : pensez à fixer votre prochaine rencontre",
    ]
    assert Rappel.objects.filter(envoye_le__isnull=False).count() == 2


def test_worker_reel_produit_un_export_suivi_puis_telecharge(tmp_path, monkeypatch, file_d_attente):
    """Asked, followed on its page while a real worker on Redis renders it, ready, downloaded; 404 for others."""
    promotion = PromotionFactory(journee_lancement=timezone.localdate() - datetime.timedelta(days=120))
    for binome in BinomeFactory.create_batch(30, promotion=promotion):
        RencontreFactory(binome=binome, date=timezone.localdate() - datetime.timedelta(days=40))
    ingenieur = IngenieurFactory()
    # Not run in this process at commit: published (here to the tests' in-memory broker, lost), then sent below to
    # the worker's queue on Redis.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    export = demander_export(
        promotion=promotion,
        par=ingenieur,
        type_export=TypeExport.TABLEAUX_PDF,
        filtres={"mes_binomes": False, "situation": ""},
        nombre_de_binomes=30,
    )
    client = ClientDuComite()
    client.force_login(ingenieur)
    page = reverse("suivi:export", args=[export.pk])
    vus = [tuple(client.get(page, {"format": "json"}).json().values())]
    with worker_reel(tmp_path, file_d_attente):
        with app.connection_for_write(REDIS_URL) as connexion:
            produire_export.apply_async(args=[str(export.pk)], connection=connexion, queue=file_d_attente)
            # Delivered twice (a restarted worker): the second run finds it claimed and does nothing.
            produire_export.apply_async(args=[str(export.pk)], connection=connexion, queue=file_d_attente)
        fin = time.monotonic() + 120
        while time.monotonic() < fin and vus[-1][0] not in ("pret", "echec"):
            time.sleep(0.1)
            vus.append(tuple(client.get(page, {"format": "json"}).json().values()))

    assert vus[0] == ("en_attente", 0)
    assert vus[-1] == ("pret", 100), (tmp_path / "worker.log").read_text()
    progressions = [progression for _statut, progression in vus]
    assert progressions == sorted(progressions)  # the page only ever sees it move forward
    assert "Le document est prêt" in client.get(page).content.decode()
    fichier = client.get(reverse("suivi:telecharger_export", args=[export.pk]))
    assert fichier.content.startswith(b"%PDF")
    for autre in (PiloteFactory(), promotion.binomes.first().mentore.utilisateur):
        client.force_login(autre)
        assert client.get(reverse("suivi:telecharger_export", args=[export.pk])).status_code == 404
