"""The measurement command prints its figures and leaves the database as it was."""

import io

import pytest
from django.core.management import call_command

from candidatures.models import Candidature
from mentorat.models import Utilisateur


@pytest.mark.django_db(transaction=True)
def test_mesure_imprime_les_chiffres_dans_sa_propre_base(base_de_mesure_existe):
    utilisateurs = Utilisateur.objects.count()
    sortie = io.StringIO()

    call_command("mesurer_candidatures", nombre=20, stdout=sortie)

    lignes = sortie.getvalue().splitlines()
    assert lignes[0].startswith("Éligibilité : 1000 dossiers en ")
    # Six, and the version of the tables whose rows the list keeps in the cache (`mentorat.admin_listes`).
    assert lignes[1].startswith("Liste de l'administration : 20 candidatures, 7 requêtes SQL, ")
    assert lignes[2].endswith("créée puis supprimée : la base de l'application n'a pas été modifiée.")
    assert (Candidature.objects.count(), Utilisateur.objects.count()) == (0, utilisateurs)
    assert not base_de_mesure_existe()
