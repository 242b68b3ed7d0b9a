"""In Chromium, with the Content-Security-Policy enforced: no page's script, style or form is refused, and the
export page's « Tout sélectionner » (bound from a static file, not an onchange attribute) still works."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import MOT_DE_PASSE, CandidatureFactory

from .connexion import passer_le_second_facteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Recorded by the browser itself (Playwright's init script is not subject to the page's policy).
ECOUTER_LES_REFUS = """
window.__refus = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__refus.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _refus(page, console: list[str]) -> list[str]:
    return page.evaluate("window.__refus") + [m for m in console if "Content Security Policy" in m]


def test_aucune_page_ne_viole_la_politique(page, live_server, pilote, promotion):
    CandidatureFactory(promotion=promotion)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(ECOUTER_LES_REFUS)
    refus = {}

    for adresse in ["/", reverse("candidatures:candidater_mentore"), reverse("login")]:
        page.goto(live_server.url + adresse)
        page.wait_for_load_state("networkidle")
        refus[adresse] = _refus(page, console)

    page.get_by_label("Adresse électronique").fill(pilote.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    passer_le_second_facteur(page, pilote)
    for adresse in [
        reverse("admin:index"),
        reverse("admin:candidatures_candidature_changelist"),
        reverse("admin:candidatures_candidature_export"),
    ]:
        page.goto(live_server.url + adresse)
        page.wait_for_load_state("networkidle")
        refus[adresse] = _refus(page, console)

    assert {adresse: liste for adresse, liste in refus.items() if liste} == {}
    # On the export page: unticking « Tout sélectionner » unticks every column.
    colonnes = page.locator(".selectable-field-export-row input[type='checkbox']")
    expect(colonnes.first).to_be_checked()
    page.get_by_label("Tout sélectionner").uncheck()
    assert colonnes.evaluate_all("cases => cases.filter(c => c.checked).length") == 0
