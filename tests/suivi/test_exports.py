"""Large exports are produced in the background: asked from the dashboard, followed on their page, downloaded by
the engineers only until they expire. (With a real worker on Redis: test_celery_reel.py.)"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mentorat.models import Action, EntreeJournal
from suivi import exports, services
from suivi.models import Export, StatutExport, TypeExport
from tests.factories import BinomeFactory, IngenieurFactory, PiloteFactory
from tests.suivi.factories import RencontreFactory


@pytest.fixture
def grande_promotion(promotion, monkeypatch):
    """A promotion above the background threshold (lowered to 2 pairs for the test)."""
    monkeypatch.setattr(exports, "SEUIL_ARRIERE_PLAN", 2)
    for binome in BinomeFactory.create_batch(3, promotion=promotion):
        RencontreFactory(binome=binome, date=promotion.journee_lancement + datetime.timedelta(days=20))
    return promotion


@pytest.mark.parametrize("format_", ["csv", "pdf"])
def test_un_grand_export_se_prepare_en_arriere_plan_puis_se_telecharge(
    client, ingenieur, grande_promotion, format_, django_capture_on_commit_callbacks
):
    client.force_login(ingenieur)
    with django_capture_on_commit_callbacks(execute=False) as taches:
        reponse = client.get(reverse(f"suivi:export_{format_}", args=[grande_promotion.pk]))

    export = Export.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("suivi:export", args=[export.pk])
    assert (export.demandeur, export.statut, export.nombre_de_binomes) == (ingenieur, StatutExport.EN_ATTENTE, 3)
    page = client.get(reponse["Location"])
    assert "Préparation du document : 0 %" in page.content.decode()
    assert reverse("suivi:telecharger_export", args=[export.pk]) not in page.content.decode()
    # Not ready yet: the download link leads back to the page.
    assert client.get(reverse("suivi:telecharger_export", args=[export.pk]))["Location"] == reponse["Location"]

    for tache in taches:  # the Celery task, run eagerly (no broker in the tests)
        tache()

    export.refresh_from_db()
    assert (export.statut, export.progression) == (StatutExport.PRET, 100)
    assert client.get(reponse["Location"], {"format": "json"}).json() == {"statut": "pret", "progression": 100}
    page = client.get(reponse["Location"]).content.decode()
    assert "Le document est prêt" in page
    fichier = client.get(reverse("suivi:telecharger_export", args=[export.pk]))
    assert fichier["Content-Disposition"] == f'attachment; filename="tableaux-de-suivi-{grande_promotion.pk}.{format_}"'
    if format_ == "pdf":
        assert fichier.content.startswith(b"%PDF")
    else:
        assert len(fichier.content.decode("utf-8-sig").splitlines()) == 4
    entree = EntreeJournal.objects.filter(action=Action.EXPORT).get()
    assert (entree.par, entree.details["format"], entree.details["binomes"]) == (ingenieur, format_.upper(), 3)


def test_un_petit_export_reste_immediat(client, ingenieur, promotion, monkeypatch):
    monkeypatch.setattr(exports, "SEUIL_ARRIERE_PLAN", 2)
    BinomeFactory.create_batch(2, promotion=promotion)

    client.force_login(ingenieur)

    reponse = client.get(reverse("suivi:export_csv", args=[promotion.pk]))

    assert reponse.status_code == 200
    assert not Export.objects.exists()


def _export_pret(demandeur, promotion, **champs) -> Export:
    valeurs = {
        "type": TypeExport.TABLEAUX_CSV,
        "demandeur": demandeur,
        "promotion": promotion,
        "statut": StatutExport.PRET,
        "contenu": b"Binome;Mentore\n",
        "expire_le": timezone.now() + datetime.timedelta(hours=24),
        **champs,
    }
    return Export.objects.create(**valeurs)


def test_le_telechargement_est_pour_les_ingenieurs_seulement(client, ingenieur, pilote, promotion, binome):
    export = _export_pret(ingenieur, promotion)
    url = reverse("suivi:telecharger_export", args=[export.pk])

    client.force_login(IngenieurFactory())  # another engineer than the one who asked
    assert client.get(url).status_code == 200
    for autre in (pilote, binome.mentore.utilisateur, binome.mentor.utilisateur):
        client.force_login(autre)
        assert client.get(url).status_code == 404
        assert client.get(reverse("suivi:export", args=[export.pk])).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_un_export_expire_n_existe_plus(client, ingenieur, promotion):
    export = _export_pret(ingenieur, promotion)

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        client.force_login(ingenieur)  # a committee session ends after two idle hours: a new one
        assert client.get(reverse("suivi:telecharger_export", args=[export.pk])).status_code == 404
        assert client.get(reverse("suivi:export", args=[export.pk])).status_code == 404
        assert services.supprimer_exports_expires() == 1
    assert not Export.objects.exists()


def test_une_tache_livree_deux_fois_ne_produit_qu_une_fois(ingenieur, grande_promotion):
    export = services.demander_export(
        promotion=grande_promotion,
        par=ingenieur,
        type_export=TypeExport.TABLEAUX_CSV,
        filtres={"mes_binomes": False, "situation": ""},
        nombre_de_binomes=3,
    )

    assert services.produire_export(export_id=export.pk) is True
    assert services.produire_export(export_id=export.pk) is False


def test_le_filtre_mes_binomes_suit_l_export(ingenieur, grande_promotion):
    BinomeFactory(promotion=grande_promotion, referent=ingenieur)
    export = services.demander_export(
        promotion=grande_promotion,
        par=ingenieur,
        type_export=TypeExport.TABLEAUX_CSV,
        filtres={"mes_binomes": True, "situation": ""},
        nombre_de_binomes=1,
    )

    services.produire_export(export_id=export.pk)

    export.refresh_from_db()
    assert len(bytes(export.contenu).decode("utf-8-sig").splitlines()) == 2  # the header and the one pair


def test_le_pilote_ne_demande_pas_d_export(client, grande_promotion):
    client.force_login(PiloteFactory())

    assert client.get(reverse("suivi:export_pdf", args=[grande_promotion.pk])).status_code == 404
    assert not Export.objects.exists()


def test_le_tableau_de_bord_annonce_la_preparation_en_arriere_plan(client, ingenieur, grande_promotion):
    client.force_login(ingenieur)

    page = client.get(reverse("suivi:tableau_de_bord"), {"promotion": grande_promotion.pk}).content.decode()

    assert "Au-delà de 2 binômes, le document est préparé en arrière-plan" in page


def test_un_export_que_le_courtier_n_a_pas_recu_est_relance_puis_produit(
    client, ingenieur, grande_promotion, django_capture_on_commit_callbacks
):
    # Asked while the broker was down: the row waits, no worker has it.
    with django_capture_on_commit_callbacks(execute=False):
        export = services.demander_export(
            promotion=grande_promotion,
            par=ingenieur,
            type_export=TypeExport.TABLEAUX_CSV,
            filtres={"mes_binomes": False, "situation": ""},
            nombre_de_binomes=3,
        )

    # Just asked: it may still be on its way to a worker, the sweep leaves it.
    assert services.relancer_exports() == (0, 0)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.relancer_exports() == (1, 0)

        export.refresh_from_db()
        assert export.statut == StatutExport.PRET  # tasks run at once in the tests' settings
        client.force_login(ingenieur)
        assert "Le document est prêt." in client.get(reverse("suivi:export", args=[export.pk])).content.decode()
        assert services.relancer_exports() == (0, 0)


def test_un_export_dont_le_worker_s_est_arrete_est_signale_en_echec(client, ingenieur, promotion):
    commence = timezone.now()
    export = _export_pret(ingenieur, promotion, statut=StatutExport.EN_COURS, contenu=None, demarre_le=commence)

    # Still within the task's time limit: it may be working.
    with time_machine.travel(commence + datetime.timedelta(minutes=10)):
        assert services.relancer_exports() == (0, 0)
    with time_machine.travel(commence + datetime.timedelta(minutes=16)):
        assert services.relancer_exports() == (0, 1)
        client.force_login(ingenieur)
        page = client.get(reverse("suivi:export", args=[export.pk])).content.decode()

    assert "Le document n'a pas pu être produit." in page
    export.refresh_from_db()
    assert export.statut == StatutExport.ECHEC


def test_la_relance_des_exports_revient_toutes_les_deux_minutes():
    from django.conf import settings

    entree = settings.CELERY_BEAT_SCHEDULE["relance-exports"]
    assert entree["task"] == "suivi.tasks.relancer_exports"
    assert entree["schedule"] == datetime.timedelta(seconds=settings.COURRIELS_BALAYAGE_SECONDES)
