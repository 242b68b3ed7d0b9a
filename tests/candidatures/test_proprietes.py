"""Random input posted to both forms: always a page or a redirect, never a 500, never a partial record."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidatures.models import Candidature
from mentorat.models import Utilisateur

from .conftest import donnees_mentor, donnees_mentore

pytestmark = pytest.mark.django_db

CHAMPS = [
    "prenom",
    "nom",
    "email",
    "password1",
    "password2",
    "corps",
    "fonction",
    "etablissement",
    "type_etablissement",
    "ght",
    "departement",
    "telephone",
    "date_premier_poste",
    "carriere_geree_cng",
    "debut_fonctions_direction",
    "postes_direction",
    "debut_exercice_encadrement",
    "debut_fonctions_ds",
    "themes",
    "motivation",
    "mode_rencontre",
    "enjeux_declares",
    "charte_acceptee",
    "consentement_donnees",
]
BIZARRES = [
    "",
    "0",
    "-1",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "2000-02-30",
    "DS",
    "D3S",
    "PH",
    "on",
    "<script>alert(1)</script>",
    "=1+1",
    "a" * 3001,
]
texte = st.text(max_size=40) | st.sampled_from(BIZARRES)
# A field may also arrive several times (a forged POST), as the themes do.
valeur = texte | st.lists(texte, min_size=2, max_size=3)
modifications = st.dictionaries(st.sampled_from(CHAMPS), valeur, max_size=6)


@pytest.mark.parametrize(
    ("nom_url", "valides"),
    [("candidatures:candidater_mentore", donnees_mentore), ("candidatures:candidater_mentor", donnees_mentor)],
)
# As many examples as the hypothesis profile says (tests/conftest.py): few on each run, many on demand.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(modifs=modifications)
def test_saisie_aleatoire_jamais_d_erreur_ni_d_enregistrement_partiel(promotion, nom_url, valides, modifs):
    donnees = {**valides(promotion), **modifs}
    cache.clear()  # each example is a new visitor: the per-client limit of the application form starts afresh

    reponse = Client().post(reverse(nom_url), donnees)

    assert reponse.status_code in (200, 302)
    candidatures, comptes = Candidature.objects.count(), Utilisateur.objects.count()
    if reponse.status_code == 302:
        assert (candidatures, comptes) == (1, 1)
        Candidature.objects.all().delete()
        Utilisateur.objects.all().delete()
    else:
        assert (candidatures, comptes) == (0, 0)
