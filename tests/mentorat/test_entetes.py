"""Security headers and pages beyond the URL × persona matrix (tests/test_acces.py checks every site page): the
committee's admin, the expired form page. (`check --deploy`: tests/mentorat/test_settings.py.)"""

import contextlib
import os
import subprocess
import sys

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from candidatures.models import Candidature
from tests.test_acces import verifier_les_entetes, verifier_rien_d_en_ligne

MODELES = sorted(admin.site._registry, key=lambda modele: modele._meta.label)


def _pages(modele) -> list[str]:
    pages = [reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_changelist")]
    with contextlib.suppress(NoReverseMatch):  # some models cannot be added from the admin
        pages.append(reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_add"))
    return pages


@pytest.mark.parametrize("modele", MODELES, ids=[m._meta.label for m in MODELES])
def test_pages_de_l_admin_avec_les_entetes_et_rien_en_ligne(admin_client, modele):
    for page in _pages(modele):
        reponse = admin_client.get(page)

        verifier_les_entetes(reponse)
        if reponse.status_code == 200:
            verifier_rien_d_en_ligne(reponse)


def test_accueil_de_l_admin_et_export(client, pilote, candidat):
    client.force_login(pilote)  # the export is the committee's
    for page in [reverse("admin:index"), reverse("admin:candidatures_candidature_export")]:
        reponse = client.get(page)

        assert reponse.status_code == 200
        verifier_les_entetes(reponse)
        verifier_rien_d_en_ligne(reponse)


def test_formulaire_expire_dit_que_rien_n_est_enregistre(candidat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidat.utilisateur)
    avant = Candidature.objects.filter(pk=candidat.pk).values_list("motivation", flat=True).get()

    reponse = client.post(
        reverse("candidatures:modifier", args=[candidat.pk]), {"motivation": "Texte envoyé d'une page périmée"}
    )

    assert reponse.status_code == 403
    contenu = reponse.content.decode()
    assert "Formulaire expiré" in contenu
    assert "Rien n'a été enregistré" in contenu
    assert Candidature.objects.filter(pk=candidat.pk).values_list("motivation", flat=True).get() == avant
    verifier_les_entetes(reponse)


@pytest.mark.parametrize(
    ("proconnect", "attendu"),
    [
        ("", "'self'"),
        ("https://auth.agentconnect.gouv.fr/api/v2", "'self' https://auth.agentconnect.gouv.fr"),
    ],
)
def test_form_action_admet_l_origine_de_proconnect_quand_il_est_configure(proconnect, attendu):
    """The sign-out posts to the site, which redirects to the provider: Chromium checks that redirect too."""
    lecture = "from django.conf import settings; print(*settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    env = {**os.environ, "DEBUG": "true", "PROCONNECT_URL": proconnect, "DJANGO_SETTINGS_MODULE": "mentorat.settings"}

    sortie = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", f"import django; django.setup(); {lecture}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert sortie.strip() == attendu
