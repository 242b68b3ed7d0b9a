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
