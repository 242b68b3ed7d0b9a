import io
import re

import pytest
from django.core.management import call_command

from mentorat.models import Promotion


@pytest.mark.django_db(transaction=True)
def test_la_mesure_de_la_conservation_imprime_temps_et_requetes_dans_sa_propre_base(base_de_mesure_existe):
    promotions = Promotion.objects.count()
    sortie = io.StringIO()

    call_command("benchmark_conservation", candidatures=20, stdout=sortie)

    texte = sortie.getvalue()
    assert "20 candidatures sans binôme, arrivées à échéance." in texte
    assert re.search(r"Liste quotidienne : 20 éléments, [\d.]+ s, \d+ requêtes SQL\.", texte)
    assert re.search(r"relancée \(rien de nouveau\) : 0 éléments", texte)
    assert re.search(r"Approbation de toute la liste : 20 éléments, [\d.]+ s, \d requêtes SQL\.", texte)
    assert re.search(r"Anonymisation des éléments approuvés : 20 éléments, .* requêtes par élément\)", texte)
    assert Promotion.objects.count() == promotions
    assert not base_de_mesure_existe()
