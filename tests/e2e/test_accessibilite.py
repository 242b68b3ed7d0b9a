"""Accessibility in the browser: reflow at 320 px, the error summary, the career questions of the corps chosen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from candidatures.models import Candidature
from tests.factories import PromotionFactory, ThemeFactory
from tests.test_acces import PERSONAS, TABLE, _construire_monde

from .test_candidatures import remplir_commun

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LARGEUR = 320  # WCAG 1.4.10: content readable at 320 CSS pixels without scrolling in two directions


def _pages():
    """Each page of the URL matrix once, with the first persona allowed to see it (the admin aside)."""
    for acces in TABLE:
        persona = next((p for p in PERSONAS if acces.get[p] == 200), None)
        if persona is not None and not acces.get_modifie:
            yield acces, persona


@pytest.fixture
def monde(transactional_db, settings):
    """The URL matrix's world, committed so that the live server sees it."""
    settings.EVALUATION_SEUIL_VERBATIM = 1
    return _construire_monde()


def test_aucune_page_ne_defile_horizontalement_a_320_px(page, live_server, client, settings, monde):
    settings.EVALUATION_SEUIL_GROUPE = 1  # one answer is enough for the syntheses to draw their charts
    page.set_viewport_size({"width": LARGEUR, "height": 640})
    larges = []
    for acces, persona in _pages():
        url = reverse(acces.nom, args=acces.arguments(monde))
        client.logout()
        if persona != "anonyme":
            client.force_login(getattr(monde, persona))
        if not client.get(url)["Content-Type"].startswith("text/html"):
            continue  # JSON, calendar feed, PDF and CSV downloads
        page.context.clear_cookies()
        if persona != "anonyme":
            page.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        page.goto(live_server.url + url)
        largeur = page.evaluate("document.documentElement.scrollWidth")
        if largeur > LARGEUR:
            larges.append(f"{acces.cle} ({persona}) : {largeur} px")

    assert larges == []


def _formulaire_mentor(page, live_server):
    PromotionFactory()
    ThemeFactory(nom="Dialogue social")
    page.goto(f"{live_server.url}/candidater/mentor/")


def test_le_resume_des_erreurs_prend_le_focus_et_mene_a_chaque_champ(page, live_server):
    PromotionFactory()
    page.goto(f"{live_server.url}/candidater/mentore/")
    titre_avant = page.title()

    page.get_by_role("button", name="Envoyer ma candidature").click()

    resume = page.get_by_role("alert").filter(has_text="Le formulaire n'a pas pu être enregistré")
    expect(resume).to_be_focused()
    assert page.title() == f"Erreur : {titre_avant}"
    liens = resume.get_by_role("link")
    # In the order of the page: the account first, then the professional situation.
    expect(liens.first).to_have_text("Prénom : Ce champ est obligatoire.")
    expect(liens.filter(has_text="Prénom")).to_have_count(1)
    expect(liens.filter(has_text="Votre corps")).to_have_count(1)
    # Each link leads to its field: following the one of the corps puts the focus on the corps.
    liens.filter(has_text="Votre corps").click()
    expect(page.get_by_label("Votre corps")).to_be_focused()
    # A group of choices: the link leads to its first option.
    liens.filter(has_text="Type d'établissement").click()
    expect(page.get_by_role("radio", name="Sanitaire")).to_be_focused()


def test_le_motif_d_ineligibilite_est_en_tete_du_formulaire(page, live_server):
    _formulaire_mentor(page, live_server)
    page.get_by_label("Votre corps").select_option("DH")
    page.get_by_label("Ma carrière est gérée par le Centre national de gestion").check(force=True)
    page.get_by_label("Depuis quand exercez-vous des fonctions de direction ?").fill("2020-01-01")
    page.get_by_label("Combien de postes de direction distincts").fill("1")

    page.get_by_role("button", name="Envoyer ma candidature").click()

    resume = page.get_by_role("alert").filter(has_text="Le formulaire n'a pas pu être enregistré")
    expect(resume).to_be_focused()
    expect(resume).to_contain_text("Il faut au moins 15 ans de fonctions de direction")
    expect(resume).to_contain_text("Il faut avoir occupé au moins 2 postes de direction distincts")
    assert resume.bounding_box()["y"] < page.get_by_label("Fonction actuelle").bounding_box()["y"]


def test_les_questions_de_parcours_suivent_le_corps_choisi(page, live_server):
    _formulaire_mentor(page, live_server)
    direction = page.get_by_role("group", name="Si vous êtes DH ou D3S")
    soins = page.get_by_role("group", name="Si vous êtes directeur ou directrice des soins (DS)")
    expect(direction).to_be_visible()
    expect(soins).to_be_visible()

    page.get_by_label("Votre corps").select_option("DS")
    expect(direction).to_be_hidden()
    expect(soins).to_be_visible()

    page.get_by_label("Votre corps").select_option("D3S")
    expect(direction).to_be_visible()
    expect(soins).to_be_hidden()


def test_sans_javascript_un_directeur_des_soins_candidate(browser, live_server):
    contexte = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = contexte.new_page()
    _formulaire_mentor(page, live_server)
    # Without JavaScript both groups stay, each under its legend; the DS answers only those of the DS.
    expect(page.get_by_role("group", name="Si vous êtes DH ou D3S")).to_be_visible()
    remplir_commun(page, prenom="Solange", nom="Bérard", email="solange@ch-dax.fr", corps="DS")
    page.get_by_label("Ma carrière est gérée par le Centre national de gestion").check(force=True)
    page.get_by_label("Depuis quand exercez-vous en environnement sanitaire").fill("2000-01-01")
    page.get_by_label("Depuis quand êtes-vous directeur ou directrice des soins ?").fill("2010-01-01")

    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page.get_by_text("Votre candidature est enregistrée.")).to_be_visible()
    assert Candidature.objects.get().corps == "DS"
    contexte.close()
