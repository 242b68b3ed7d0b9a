"""The measurement command prints its figures and leaves the database as it was."""

import io

import pytest
from django.core.management import call_command

from candidatures.models import Candidature

pytestmark = pytest.mark.django_db


def test_mesure_imprime_les_chiffres_sans_rien_laisser():
    sortie = io.StringIO()

    call_command("mesurer_candidatures", nombre=20, stdout=sortie)

    lignes = sortie.getvalue().splitlines()
    assert lignes[0].startswith("Éligibilité : 1000 dossiers en ")
    assert lignes[1].startswith("Liste de l'administration : 20 candidatures, 7 requêtes SQL, ")
    assert Candidature.objects.count() == 0
