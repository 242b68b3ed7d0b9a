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
import io
import os
import pathlib
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any, cast

import factory
import openpyxl
import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from candidatures.admin import CandidatureAdmin
from evaluation import pdf as pdf_synthese
from evaluation import services as evaluation
from evaluation.models import Campagne, Question
from mentorat import pdf
from mentorat.celery import app
from mentorat.models import Action, EntreeJournal
from suivi.models import Export, Rappel, TypeExport
from suivi.services import demander_export
from suivi.tasks import planifier_rappels, produire_export
from tests.conftest import ClientDuComite
from tests.evaluation.factories import CampagneFactory
from tests.factories import BinomeFactory, CandidatureFactory, IngenieurFactory, PiloteFactory, PromotionFactory
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


def _tableaux_pdf_demandes(monkeypatch, promotion, nombre_de_binomes: int) -> tuple[Export, ClientDuComite]:
    """The PDF of `promotion`'s tracking tables asked by an engineer, signed in on the client returned. Not run in
    this process at commit: published (here to the tests' in-memory broker, lost), then sent to the worker's queue
    on Redis by `_produire_par_le_worker`."""
    ingenieur = IngenieurFactory()
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    export = demander_export(
        promotion=promotion,
        par=ingenieur,
        type_export=TypeExport.TABLEAUX_PDF,
        filtres={"mes_binomes": False, "situation": ""},
        nombre_de_binomes=nombre_de_binomes,
    )
    client = ClientDuComite()
    client.force_login(ingenieur)
    return export, client


def test_worker_reel_produit_un_export_suivi_puis_telecharge(tmp_path, monkeypatch, file_d_attente):
    """Asked, followed on its page while a real worker on Redis renders it, ready, downloaded; 404 for others."""
    promotion = PromotionFactory(journee_lancement=timezone.localdate() - datetime.timedelta(days=120))
    for binome in BinomeFactory.create_batch(30, promotion=promotion):
        RencontreFactory(binome=binome, date=timezone.localdate() - datetime.timedelta(days=40))
    export, client = _tableaux_pdf_demandes(monkeypatch, promotion, 30)
    page = reverse("suivi:export", args=[export.pk])
    vus = _produire_par_le_worker(client, export, tmp_path, file_d_attente)

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


def test_worker_reel_met_en_page_les_tableaux_d_une_grande_promotion_en_deux_processus(
    tmp_path, monkeypatch, file_d_attente
):
    """Two hundred pairs: the worker's task lays the PDF out in two processes side by side (forked from the worker's
    own process), then joins the parts and numbers every page."""
    promotion = PromotionFactory(journee_lancement=timezone.localdate() - datetime.timedelta(days=120))
    binomes = BinomeFactory.create_batch(2 * pdf.MINIMUM_PAR_PARTIE, promotion=promotion)
    RencontreFactory.create_batch(
        len(binomes), binome=factory.Iterator(binomes), date=timezone.localdate() - datetime.timedelta(days=40)
    )
    export, client = _tableaux_pdf_demandes(monkeypatch, promotion, len(binomes))

    vus = _produire_par_le_worker(client, export, tmp_path, file_d_attente, PDF_PROCESSUS="2")

    assert vus[-1] == ("pret", 100), (tmp_path / "worker.log").read_text()
    fichier = client.get(reverse("suivi:telecharger_export", args=[export.pk]))
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(fichier.content)).pages]
    texte = " ".join(pages)
    assert all(texte.count(f"Binôme {binome} ") == 1 for binome in binomes)
    for numero, page in enumerate(pages, 1):
        assert page.endswith(f"Page {numero} sur {len(pages)}")
    # The title and introduction once, though the second part was laid out apart.
    assert texte.count("Objectif :") == 1
    # Laid out by two processes: each embedded its fonts (regular and bold), as did the page numbers' (regular); laid
    # out in one piece, the document would embed two.
    assert len(_polices_embarquees(fichier.content)) == 5


def _polices_embarquees(pdf: bytes) -> set[int]:
    """The ids of the font programs `pdf` embeds."""
    polices = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        ressources: Any = page["/Resources"]  # pypdf's objects are typed as any PDF object
        for reference in ressources["/Font"].values():
            police = reference.get_object()
            for descendante in police.get("/DescendantFonts", [police]):
                descripteur = descendante.get_object()["/FontDescriptor"].get_object()
                polices.add(descripteur.raw_get("/FontFile2").idnum)
    return polices


def _produire_par_le_worker(client, export: Export, tmp_path: pathlib.Path, file: str, **variables: str) -> list[tuple]:
    """Starts a real worker (`variables` added to its environment), sends it the export's task (twice, as a
    restarted worker would: the second run finds it claimed and does nothing) and follows the export's page until it
    is ready or failed: the states and progress the page showed, the first one before the worker started."""
    page = reverse("suivi:export", args=[export.pk])
    vus = [tuple(client.get(page, {"format": "json"}).json().values())]
    with worker_reel(tmp_path, file, **variables), app.connection_for_write(REDIS_URL) as connexion:
        for _fois in range(2):
            # `connection` goes to the producer through `**options`, which the stubs do not declare.
            produire_export.apply_async(args=(str(export.pk),), connection=connexion, queue=file)  # type: ignore[call-arg]
        fin = time.monotonic() + 120
        while time.monotonic() < fin and vus[-1][0] not in ("pret", "echec"):
            time.sleep(0.1)
            vus.append(tuple(client.get(page, {"format": "json"}).json().values()))
    return vus


def _export_demande(reponse) -> Export:
    assert reponse.status_code == 302
    export = Export.objects.get()
    assert reponse["Location"] == reverse("suivi:export", args=[export.pk])
    return export


def test_worker_reel_produit_le_xlsx_des_candidatures_au_dela_du_seuil(tmp_path, monkeypatch, file_d_attente):
    """A large XLSX of the applications: asked from the admin's export, produced by a real worker on Redis, followed,
    downloaded by the committee (the pilot too) and journaled; 404 for a pair member, and for all once expired."""
    promotion = PromotionFactory()
    candidatures = CandidatureFactory.create_batch(4, promotion=promotion)
    pilote, ingenieur = PiloteFactory(), IngenieurFactory()
    monkeypatch.setattr(CandidatureAdmin, "seuil_export_differe", 3)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    client = ClientDuComite()
    client.force_login(pilote)

    export = _export_demande(
        client.post(
            reverse("admin:candidatures_candidature_export"),
            {"format": "1", "resource": "0", "candidatureresource_nom": "on", "candidatureresource_statut": "on"},
        )
    )
    page = reverse("suivi:export", args=[export.pk])
    vus = _produire_par_le_worker(client, export, tmp_path, file_d_attente)

    assert vus[0] == ("en_attente", 0)
    assert vus[-1] == ("pret", 100), (tmp_path / "worker.log").read_text()
    contenu = client.get(page).content.decode()
    assert "Export des candidatures" in contenu and "Le document est prêt" in contenu
    assert not EntreeJournal.objects.filter(action=Action.EXPORT).exists()  # journaled when downloaded
    client.force_login(ingenieur)
    fichier = client.get(reverse("suivi:telecharger_export", args=[export.pk]))
    jour = timezone.localdate().isoformat()
    assert fichier["Content-Disposition"] == f'attachment; filename="candidatures-{jour}.xlsx"'
    feuille = openpyxl.load_workbook(io.BytesIO(fichier.content)).active
    lignes = [[cellule.value for cellule in ligne] for ligne in feuille.iter_rows()]
    assert lignes[0] == ["Nom", "Statut"]
    assert sorted(ligne[0] for ligne in lignes[1:]) == sorted(c.utilisateur.nom for c in candidatures)
    entree = EntreeJournal.objects.get(action=Action.EXPORT)
    assert (entree.par, entree.details["document"], entree.details["lignes"]) == (ingenieur, "candidatures", 4)
    client.force_login(BinomeFactory(promotion=promotion).mentore.utilisateur)
    assert client.get(reverse("suivi:telecharger_export", args=[export.pk])).status_code == 404
    assert client.get(page).status_code == 404
    Export.objects.filter(pk=export.pk).update(expire_le=timezone.now())
    client.force_login(pilote)
    assert client.get(reverse("suivi:telecharger_export", args=[export.pk])).status_code == 404


def test_xlsx_des_candidatures_sous_le_seuil_repond_aussitot(monkeypatch):
    CandidatureFactory.create_batch(3, promotion=PromotionFactory())
    monkeypatch.setattr(CandidatureAdmin, "seuil_export_differe", 3)
    client = ClientDuComite()
    client.force_login(PiloteFactory())

    reponse = client.post(
        reverse("admin:candidatures_candidature_export"),
        {"format": "1", "resource": "0", "candidatureresource_nom": "on"},
    )

    assert reponse.status_code == 200
    assert reponse.content.startswith(b"PK")  # the XLSX itself, at once
    assert not Export.objects.exists()


def _campagne_close(reponses: int) -> Campagne:
    promotion = PromotionFactory()
    BinomeFactory.create_batch((reponses + 1) // 2, promotion=promotion)
    campagne = cast(Campagne, CampagneFactory(promotion=promotion))  # a model instance: the stubs say the factory
    evaluation.creer_invitations(campagne=campagne)
    valeurs = {q: {"echelle": 4, "oui_non": True}.get(q.type, "Utile.") for q in Question.objects.filter(active=True)}
    for invitation in campagne.invitations.all()[:reponses]:
        evaluation.repondre(invitation_id=invitation.pk, valeurs=valeurs)
    Campagne.objects.filter(pk=campagne.pk).update(fermeture=timezone.now() - datetime.timedelta(minutes=1))
    evaluation.brasser_reponses(campagne_id=campagne.pk)
    return campagne


def test_worker_reel_produit_la_synthese_au_dela_du_seuil(tmp_path, monkeypatch, file_d_attente):
    """A large campaign's synthesis: asked by an engineer, produced by a real worker, downloaded and journaled; 404
    for the pilot (not published yet) and a participant, and once expired."""
    campagne = _campagne_close(reponses=3)
    ingenieur = IngenieurFactory()
    monkeypatch.setattr(pdf_synthese, "SEUIL_ARRIERE_PLAN", 2)
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    client = ClientDuComite()
    client.force_login(ingenieur)

    export = _export_demande(client.get(reverse("evaluation:pdf", args=[campagne.pk])))
    page = reverse("suivi:export", args=[export.pk])
    vus = _produire_par_le_worker(client, export, tmp_path, file_d_attente)

    assert vus[0] == ("en_attente", 0)
    assert vus[-1] == ("pret", 100), (tmp_path / "worker.log").read_text()
    progressions = [progression for _statut, progression in vus]
    assert progressions == sorted(progressions)
    assert "Export de la synthèse" in client.get(page).content.decode()
    fichier = client.get(reverse("suivi:telecharger_export", args=[export.pk]))
    assert fichier["Content-Disposition"] == f'attachment; filename="synthese-evaluation-{campagne.pk}.pdf"'
    assert fichier.content.startswith(b"%PDF")
    entree = EntreeJournal.objects.get(action=Action.EXPORT)
    assert (entree.par, entree.details) == (ingenieur, {"document": "synthèse", "format": "PDF"})
    participant = campagne.invitations.first().utilisateur
    for autre in (PiloteFactory(), participant):
        client.force_login(autre)
        assert client.get(reverse("suivi:telecharger_export", args=[export.pk])).status_code == 404
    Export.objects.filter(pk=export.pk).update(expire_le=timezone.now())
    client.force_login(ingenieur)
    assert client.get(reverse("suivi:telecharger_export", args=[export.pk])).status_code == 404


def test_synthese_sous_le_seuil_repond_aussitot(monkeypatch):
    campagne = _campagne_close(reponses=2)
    monkeypatch.setattr(pdf_synthese, "SEUIL_ARRIERE_PLAN", 2)
    client = ClientDuComite()
    client.force_login(IngenieurFactory())

    reponse = client.get(reverse("evaluation:pdf", args=[campagne.pk]))

    assert reponse.status_code == 200
    assert reponse.content.startswith(b"%PDF")
    assert not Export.objects.exists()
