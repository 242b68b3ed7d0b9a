"""The committee's places page in the browser: a rank refused and kept, the list reordered, a freed place confirmed;
no critical or serious axe violation (WCAG 2.1 A and AA)."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidatures import places, services
from candidatures.models import Candidature, Statut
from tests.factories import CandidatureFactory, PiloteFactory, PromotionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _violations_graves(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    resultat = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [v["id"] for v in resultat["violations"] if v["impact"] in {"critical", "serious"}]


def test_le_comite_reordonne_la_liste_et_retient_apres_un_desistement(browser, live_server, client):
    promotion = PromotionFactory(
        est_courante=False,
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=30),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=1),
        journee_lancement=timezone.localdate() + datetime.timedelta(days=21),
        places_mentores=1,
    )
    pilote = PiloteFactory()
    retenue, premiere, seconde = (
        CandidatureFactory.create(promotion=promotion, utilisateur__prenom=prenom, utilisateur__nom="Essai")
        for prenom in ("Aude", "Bleuenn", "Corentin")
    )
    places.repartir(promotion=promotion, candidatures=[retenue, premiere, seconde], par=pilote)
    client.force_login(pilote)
    contexte = browser.new_context(locale="fr-FR", bypass_csp=True, viewport={"width": 1280, "height": 900})
    contexte.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = contexte.new_page()

    page.goto(live_server.url + reverse("candidatures:places", args=[promotion.pk]))
    assert _violations_graves(page) == []

    # A rank beyond the list: refused in French, what was typed stays in the field.
    rang = page.get_by_label("Rang de Corentin Essai")
    rang.fill("5")
    page.get_by_role("row", name=re.compile("Corentin Essai")).get_by_role("button", name="Déplacer").click()
    expect(page.get_by_text("Le rang doit être compris entre 1 et 2")).to_be_visible()
    expect(page.get_by_label("Rang de Corentin Essai")).to_have_value("5")
    assert _violations_graves(page) == []

    page.get_by_label("Rang de Corentin Essai").fill("1")
    page.get_by_role("row", name=re.compile("Corentin Essai")).get_by_role("button", name="Déplacer").click()
    expect(page.get_by_text("La liste d'attente est réordonnée.")).to_be_visible()

    # The retained mentee stands down: the place is offered, and the committee confirms it.
    services.retirer_candidature(candidature=retenue, par=retenue.utilisateur)
    page.reload()
    expect(page.get_by_text("Une place libérée attend votre confirmation")).to_be_visible()
    page.get_by_role("button", name="Retenir Corentin Essai").click()
    expect(page.get_by_text("Corentin Essai est retenu·e")).to_be_visible()
    contexte.close()

    assert Candidature.objects.get(pk=seconde.pk).statut == Statut.RETENUE
    assert Candidature.objects.get(pk=premiere.pk).rang_attente == 1
