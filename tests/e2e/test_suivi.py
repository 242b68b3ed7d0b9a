"""Browser journeys of the follow-up: a mentee logs a meeting; an engineer reads the dashboard and the PDF."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from mentorat.rules import compte_du_comite
from suivi.models import EtatRencontre
from tests.factories import (
    MOT_DE_PASSE,
    BinomeFactory,
    IngenieurFactory,
    ThemeFactory,
    promotion_dans_son_annee,
)
from tests.suivi.factories import RencontreFactory

from .connexion import passer_le_second_facteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _se_connecter(page, live_server, user):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    if compte_du_comite(user):
        passer_le_second_facteur(page, user)


def test_un_mentore_note_une_rencontre_et_voit_son_tableau_de_suivi(page, live_server):
    binome = BinomeFactory(promotion=promotion_dans_son_annee())
    ThemeFactory(nom="Posture de direction")
    hier = timezone.localdate() - datetime.timedelta(days=1)
    _se_connecter(page, live_server, binome.mentore.utilisateur)

    page.goto(f"{live_server.url}/espace/rencontres/")
    page.get_by_role("link", name="Noter une rencontre").click()
    expect(page.get_by_text("Le contenu de vos échanges reste confidentiel")).to_be_visible()
    page.get_by_label("Date de la rencontre").fill(hier.isoformat())
    page.get_by_text("En visioconférence").click()
    page.get_by_text("Posture de direction").click()
    page.get_by_role("button", name="Enregistrer la rencontre").click()

    expect(page.get_by_text("La rencontre est notée.")).to_be_visible()
    tableau = page.locator("#tableau-rencontres")
    expect(tableau).to_contain_text("En visioconférence")
    expect(tableau).to_contain_text("Posture de direction")
    expect(page.get_by_text("1 rencontre tenue sur un objectif de 6 à 8")).to_be_visible()


def test_un_mentor_confirme_une_rencontre_prevue_dont_la_date_est_passee(page, live_server):
    binome = BinomeFactory(promotion=promotion_dans_son_annee())
    avant_hier = timezone.localdate() - datetime.timedelta(days=2)
    RencontreFactory(binome=binome, date=avant_hier, etat=EtatRencontre.PREVUE)
    _se_connecter(page, live_server, binome.mentor.utilisateur)

    page.goto(f"{live_server.url}/espace/rencontres/")
    ligne = page.locator("#tableau-rencontres tbody tr")
    expect(ligne).to_contain_text("À confirmer")
    expect(page.get_by_text("0 rencontre tenue sur un objectif")).to_be_visible()
    ligne.get_by_role("button", name="Marquer tenue").click()

    expect(page.get_by_text("La rencontre est marquée comme tenue.")).to_be_visible()
    expect(ligne).to_contain_text("Tenue")
    expect(ligne).not_to_contain_text("À confirmer")
    expect(page.get_by_text("1 rencontre tenue sur un objectif")).to_be_visible()


def test_un_mentore_voit_le_refus_d_une_date_avant_le_lancement(page, live_server):
    binome = BinomeFactory(promotion=promotion_dans_son_annee())
    _se_connecter(page, live_server, binome.mentore.utilisateur)

    page.goto(f"{live_server.url}/espace/rencontres/ajouter/")
    page.get_by_label("Date de la rencontre").fill("2001-01-01")
    page.get_by_text("En présentiel").click()
    page.get_by_role("button", name="Enregistrer la rencontre").click()

    expect(page.locator("#id_date-desc-error")).to_contain_text("Choisissez une date entre la journée de lancement")
    expect(page.get_by_label("Date de la rencontre")).to_have_value("2001-01-01")


def test_un_ingenieur_voit_le_tableau_de_bord_et_telecharge_le_pdf(page, live_server):
    ingenieur = IngenieurFactory()
    promotion = promotion_dans_son_annee()
    en_retard, a_jour = BinomeFactory.create_batch(2, promotion=promotion, referent=ingenieur)
    d_un_collegue = BinomeFactory(promotion=promotion)
    RencontreFactory(binome=en_retard, date=timezone.localdate() - datetime.timedelta(days=70))
    RencontreFactory(binome=a_jour, date=timezone.localdate() - datetime.timedelta(days=5))
    RencontreFactory(binome=d_un_collegue, date=timezone.localdate() - datetime.timedelta(days=50))
    _se_connecter(page, live_server, ingenieur)

    page.get_by_role("link", name="Suivi des binômes").first.click()
    lignes = page.locator("#tableau-de-bord tbody tr")
    expect(lignes).to_have_count(3)
    page.get_by_text("Seulement les binômes dont je suis référent·e").click()
    page.get_by_role("button", name="Afficher").click()

    expect(lignes).to_have_count(2)
    expect(lignes.nth(0)).to_contain_text(str(en_retard))
    expect(lignes.nth(0)).to_contain_text("Écart dépassé")
    expect(lignes.nth(1)).to_contain_text("Dans les temps")
    expect(lignes.nth(0).locator("svg")).to_have_count(1)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger les tableaux de suivi (PDF)").click()
    fichier = telechargement.value
    assert fichier.suggested_filename == f"tableaux-de-suivi-{promotion.pk}.pdf"
    pages = PdfReader(fichier.path()).pages
    texte = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert f"Binôme {en_retard}" in texte
    assert f"Page 1 sur {len(pages)}" in texte
