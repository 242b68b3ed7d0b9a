"""Browser journeys of the committee's accounts: the second factor from enrolment to a later sign-in."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import MOT_DE_PASSE, IngenieurFactory

from .connexion import passer_le_second_facteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _mot_de_passe(page, live_server, utilisateur, suite: str) -> None:
    page.goto(f"{live_server.url}/compte/connexion/?next={suite}")
    page.get_by_label("Adresse électronique").fill(utilisateur.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()


def test_un_ingenieur_active_la_double_authentification_puis_se_connecte_avec_un_code(page, live_server):
    ingenieur = IngenieurFactory(prenom="Ingrid", nom="Ingénieure")

    # First sign-in: the enrolment page, before anything else.
    _mot_de_passe(page, live_server, ingenieur, "/admin/")
    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    passer_le_second_facteur(page, ingenieur)
    expect(page.locator(".comite-entete__titre")).to_contain_text("Mentorat")
    page.goto(live_server.url)
    page.get_by_role("button", name="Se déconnecter").first.click()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()

    # Second sign-in: the password alone opens neither the admin nor the engineers' dashboard.
    _mot_de_passe(page, live_server, ingenieur, "/admin/")
    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    for ferme in ("/admin/", "/suivi/", "/admin/candidatures/candidature/"):
        page.goto(f"{live_server.url}{ferme}")
        expect(page).to_have_url(re.compile(r"/compte/double-authentification/\?next="))
    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Vérifier le code").click()
    expect(page.locator("#id_code-desc-error")).to_contain_text("Ce code n'est pas valable")
    # After a wrong code, django-otp checks the next one no sooner than a second later.
    page.wait_for_timeout(1100)

    passer_le_second_facteur(page, ingenieur, pas=1)

    expect(page).to_have_url(f"{live_server.url}/admin/candidatures/candidature/")
    page.goto(f"{live_server.url}/suivi/")
    expect(page.get_by_role("heading", name="Suivi des binômes")).to_be_visible()
