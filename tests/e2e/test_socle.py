"""Browser journeys of the foundation: the home page, the committee's login, a wrong password."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.factories import MOT_DE_PASSE, PromotionFactory

from .connexion import passer_le_second_facteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_accueil_affiche_les_dates_de_la_promotion(page, live_server):
    PromotionFactory(
        nom="2024/2025",
        journee_lancement=datetime.date(2024, 4, 10),
        evenement_mi_parcours=datetime.date(2024, 10, 15),
        journee_bilan=datetime.date(2025, 3, 19),
        fin=datetime.date(2025, 3, 31),
    )

    page.goto(live_server.url)

    expect(page.get_by_role("heading", name="Calendrier de la promotion 2024/2025")).to_be_visible()
    calendrier = page.locator("#calendrier")
    expect(calendrier).to_contain_text("mercredi 10 avril 2024")
    expect(calendrier).to_contain_text("mercredi 19 mars 2025")


def test_un_membre_du_comite_se_connecte_et_atteint_l_administration(page, live_server, pilote):
    page.goto(live_server.url)
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(pilote.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    passer_le_second_facteur(page, pilote)

    # The pilot lands on the programme dashboard, the home of the committee's workspace.
    expect(page.get_by_role("heading", name="Tableau de bord du programme")).to_be_visible()
    expect(page.locator("#header")).to_contain_text("Mentorat — espace du comité")
    expect(page.locator("#header")).to_contain_text("Pilote du programme")
    page.get_by_text("Toutes les rubriques de l'administration").click()
    expect(page.get_by_role("link", name="Promotions")).to_be_visible()


def test_mauvais_mot_de_passe_message_en_francais(page, live_server, pilote):
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(pilote.email)
    page.get_by_label("Mot de passe").fill("pas-le-bon")
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_text("Adresse électronique ou mot de passe incorrect")).to_be_visible()
    expect(page.get_by_label("Adresse électronique")).to_have_value(pilote.email)
