"""The background exports' files, produced in this process: the same as the immediate ones, and a failure marked.

The real worker's journeys (asked, followed, downloaded, refused to others) are in `test_celery_reel.py`."""

import io

import openpyxl
import pytest
from django.db.models.functions import Lower
from django.urls import reverse

from candidatures.admin import CandidatureAdmin
from candidatures.models import Statut
from evaluation import pdf as pdf_synthese
from evaluation import services as evaluation
from evaluation.models import Campagne
from suivi import services
from suivi.models import Export, StatutExport
from tests.conftest import ClientDuComite
from tests.factories import CandidatureFactory, IngenieurFactory, PiloteFactory, PromotionFactory
from tests.suivi.test_celery_reel import _campagne_close

pytestmark = pytest.mark.django_db

COLONNES = {"format": "1", "resource": "0", "candidatureresource_nom": "on", "candidatureresource_statut": "on"}


def _lignes(contenu: bytes) -> list[list]:
    feuille = openpyxl.load_workbook(io.BytesIO(contenu)).worksheets[0]
    return [[cellule.value for cellule in ligne] for ligne in feuille.iter_rows()]


def _immediat_puis_en_arriere_plan(client, url, monkeypatch) -> tuple[list[list], Export]:
    """The rows of the XLSX exported at once from `url`, then the same export asked above the threshold and produced
    in this process (the background task's work)."""
    immediat = _lignes(client.post(url, COLONNES).content)
    monkeypatch.setattr(CandidatureAdmin, "seuil_export_differe", 3)
    client.post(url, COLONNES)
    export = Export.objects.get()
    assert services.produire_export(export_id=export.pk)
    export.refresh_from_db()
    return immediat, export


def test_le_xlsx_en_arriere_plan_est_celui_de_l_export_immediat(monkeypatch):
    promotion = PromotionFactory()
    for nom in ("Bernard", "Adam", "Chevalier", "Durand"):
        CandidatureFactory(promotion=promotion, utilisateur__nom=nom)
    CandidatureFactory(promotion=promotion, utilisateur__nom="Écartée", statut=Statut.NON_RECEVABLE)
    client = ClientDuComite()
    client.force_login(PiloteFactory())
    # The list filtered on the admissible ones: the export keeps its filter, its order and the columns chosen.
    url = reverse("admin:candidatures_candidature_export") + "?statut__exact=recevable"
    immediat, export = _immediat_puis_en_arriere_plan(client, url, monkeypatch)

    assert export.statut == StatutExport.PRET
    assert _lignes(export.contenu) == immediat
    assert immediat[0] == ["Nom", "Statut"]
    assert sorted(ligne[0] for ligne in immediat[1:]) == ["Adam", "Bernard", "Chevalier", "Durand"]


@pytest.mark.parametrize("tri", ["?o=1", "?o=-1", "?o=-7.1", "expression"])
def test_le_xlsx_en_arriere_plan_garde_l_ordre_de_la_liste(monkeypatch, tri):
    promotion = PromotionFactory()
    for nom in ("bernard", "Adam", "Chevalier", "durand"):
        CandidatureFactory(promotion=promotion, utilisateur__nom=nom)
    if tri == "expression":
        # A sorting the list states as an expression (here: names whatever their case, last first).
        monkeypatch.setattr(CandidatureAdmin, "ordering", [Lower("utilisateur__nom").desc()])
    client = ClientDuComite()
    client.force_login(PiloteFactory())
    url = reverse("admin:candidatures_candidature_export") + ("" if tri == "expression" else tri)
    immediat, export = _immediat_puis_en_arriere_plan(client, url, monkeypatch)

    assert _lignes(export.contenu) == immediat
    if tri == "expression":
        assert [ligne[0] for ligne in immediat[1:]] == ["durand", "Chevalier", "bernard", "Adam"]


def test_synthese_en_arriere_plan_d_une_campagne_supprimee_entre_temps_marquee_en_echec(monkeypatch):
    campagne = _campagne_close(reponses=3)
    monkeypatch.setattr(pdf_synthese, "SEUIL_ARRIERE_PLAN", 2)
    client = ClientDuComite()
    client.force_login(IngenieurFactory())
    client.get(reverse("evaluation:pdf", args=[campagne.pk]))
    export = Export.objects.get()
    Campagne.objects.filter(pk=campagne.pk).delete()

    with pytest.raises(Campagne.DoesNotExist):
        services.produire_export(export_id=export.pk)

    export.refresh_from_db()
    assert export.statut == StatutExport.ECHEC
    assert not export.contenu


def test_une_seule_synthese_en_arriere_plan_pour_tous_ceux_qui_la_lisent(monkeypatch):
    campagne = _campagne_close(reponses=3)
    monkeypatch.setattr(pdf_synthese, "SEUIL_ARRIERE_PLAN", 2)
    ingenieur = IngenieurFactory()
    evaluation.publier_synthese(campagne=campagne, par=ingenieur)
    participant = campagne.invitations.first().utilisateur
    client = ClientDuComite()
    adresse = reverse("evaluation:pdf", args=[campagne.pk])

    # An engineer twice (a double click), then a participant: one document to produce, one page to follow.
    pages = []
    for lecteur in (ingenieur, ingenieur, participant):
        client.force_login(lecteur)
        pages.append(client.get(adresse)["Location"])
    export = Export.objects.get()
    assert set(pages) == {reverse("suivi:export", args=[export.pk])}
    assert services.produire_export(export_id=export.pk)
    fichier = client.get(reverse("suivi:telecharger_export", args=[export.pk]))
    assert fichier.content.startswith(b"%PDF")

    # A failed one is not handed out again: the next reader's click asks for a new one.
    Export.objects.update(statut=StatutExport.ECHEC)
    assert client.get(adresse)["Location"] != pages[0]
    assert Export.objects.count() == 2
