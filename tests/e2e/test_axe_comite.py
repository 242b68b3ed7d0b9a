"""axe-core (npm, pinned in package-lock.json) in Chromium on every page of the committee's admin: no critical or
serious violation of WCAG 2.1 A and AA. `scripts/test.sh` installs axe-core from the lock before the tests run."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from binomes import services
from binomes.models import Proposition
from candidatures.models import Statut
from tests.factories import CandidatureFactory, MentorFactory
from tests.test_acces import _construire_monde

pytestmark = [pytest.mark.e2e, pytest.mark.lent, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
GRAVES = {"critical", "serious"}


def pages_de_l_admin(monde, requete) -> list[str]:
    """Every page of the admin: home, each model's list, add form and one object's form, the matching screens."""
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for modele, modele_admin in admin.site._registry.items():
        nom = f"admin:{modele._meta.app_label}_{modele._meta.model_name}"
        urls.append(reverse(f"{nom}_changelist"))
        objet = modele._default_manager.order_by("pk").first()
        if objet is not None:
            urls.append(reverse(f"{nom}_change", args=[objet.pk]))
        if modele_admin.has_add_permission(requete):
            urls.append(reverse(f"{nom}_add"))
        if hasattr(modele_admin, "export_action"):
            urls.append(reverse(f"{nom}_export"))
    promotion = monde.promotion
    urls += [
        reverse("admin:binomes_appariement"),
        reverse("admin:binomes_proposition", args=[promotion.pk]),
        reverse("admin:binomes_paires", args=[promotion.pk]),
        reverse("admin:app_list", args=["candidatures"]),
    ]
    return urls


@pytest.fixture
def monde(transactional_db):
    monde = _construire_monde()
    # A draft for the open promotion, so that the matching screen shows its table of lines.
    for _ in range(2):
        CandidatureFactory(promotion=monde.promotion, statut=Statut.RETENUE)
        MentorFactory(promotion=monde.promotion, statut=Statut.RETENUE)
    services.proposer_appariement(promotion=monde.promotion, par=monde.pilote)
    assert Proposition.objects.filter(promotion=monde.promotion).exists()
    return monde


def test_aucune_violation_grave_d_accessibilite_dans_l_admin(browser, live_server, client, monde):
    # An engineer who also administers accounts sees every page of the admin.
    membre = monde.referent
    membre.is_superuser = True
    membre.save()
    client.force_login(membre)
    # The tests inject axe's script themselves: the site's Content-Security-Policy must not stop it.
    contexte = browser.new_context(locale="fr-FR", bypass_csp=True, viewport={"width": 1280, "height": 900})
    contexte.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    # axe loaded by the browser in every page it opens, rather than sent to each page in turn.
    contexte.add_init_script(AXE.read_text(encoding="utf-8"))
    page = contexte.new_page()
    violations, visitees = [], 0
    requete = RequestFactory().get("/")
    requete.user = membre
    for url in pages_de_l_admin(monde, requete):
        reponse = page.goto(live_server.url + url)
        assert reponse is not None and reponse.status == 200, url
        # Only the violations are read: axe details no other kind of result (the passes are most of its work).
        resultat = page.evaluate(
            "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
            " resultTypes: ['violations']})"
        )
        visitees += 1
        for violation in resultat["violations"]:
            if violation["impact"] in GRAVES:
                cibles = [" ".join(n["target"]) for n in violation["nodes"][:3]]
                violations.append(f"{url} : {violation['id']} ({violation['impact']}) {cibles}")
    contexte.close()

    assert visitees > 30
    assert violations == [], "\n".join(violations)
