"""Accessibility checks shared by every form: what a screen reader follows must exist in the page."""

import re

import pytest
from django.urls import reverse

from tests.factories import PromotionFactory

REFERENCES = re.compile(r'aria-(?:labelledby|describedby)="([^"]+)"')
IDENTIFIANTS = re.compile(r'\bid="([^"]+)"')


def _references_orphelines(page: str) -> set[str]:
    identifiants = set(IDENTIFIANTS.findall(page))
    return {ref for refs in REFERENCES.findall(page) for ref in refs.split() if ref not in identifiants}


@pytest.mark.django_db
@pytest.mark.parametrize("nom", ["candidatures:candidater_mentore", "candidatures:candidater_mentor", "login"])
def test_les_erreurs_annoncees_existent_dans_la_page(client, nom):
    """A form sent empty: every error, hint and legend that a field points to is in the page."""
    PromotionFactory()

    page = client.post(reverse(nom), {"nom": "", "username": ""}).content.decode()

    assert "fr-fieldset--error" in page or "fr-input-group--error" in page or "fr-alert--error" in page
    assert _references_orphelines(page) == set()
    assert "<title>Erreur : " in page  # the title says so first, before the screen reader reads on


def _finalites(page: str) -> dict[str, str]:
    """name → autocomplete of the page's inputs that declare one."""
    finalites = {}
    for champ in re.findall(r"<input[^>]*>", page):
        nom, finalite = re.search(r'\bname="([^"]+)"', champ), re.search(r'\bautocomplete="([^"]+)"', champ)
        if nom and finalite:
            finalites[nom[1]] = finalite[1]
    return finalites


@pytest.mark.django_db
@pytest.mark.parametrize("nom", ["candidatures:candidater_mentore", "candidatures:candidater_mentor"])
def test_les_champs_sur_la_personne_annoncent_leur_finalite(client, nom):
    """WCAG 1.3.5: the browser fills in, and assistive tools recognise, who the applicant is and where they work."""
    PromotionFactory()

    page = client.get(reverse(nom)).content.decode()

    assert _finalites(page) == {
        "prenom": "given-name",
        "nom": "family-name",
        "email": "email",
        "password1": "new-password",
        "password2": "new-password",
        "telephone": "work tel",
        "fonction": "organization-title",
        "etablissement": "organization",
    }
