import io
import re

import pytest
from django.core.management import call_command

from mentorat.models import Promotion


@pytest.mark.django_db(transaction=True)
def test_la_mesure_du_tableau_de_bord_imprime_temps_et_requetes_dans_sa_propre_base(base_de_mesure_existe):
    promotions = Promotion.objects.count()
    sortie = io.StringIO()

    call_command(
        "benchmark_tableau_de_bord",
        candidatures=40,
        binomes=20,
        rencontres=160,
        promotions=1,
        repetitions=2,
        stdout=sortie,
    )

    texte = sortie.getvalue()
    # The promotion measured, and an earlier one a tenth of its size.
    assert "44 candidatures, 22 binômes, 176 rencontres, 2 promotions." in texte
    # The first display computes the figures (and reads the data's version); the next ones read them from the cache.
    for libelle, premier in (("ingénieur", 17), ("pilote", 12)):
        assert re.search(
            rf"Tableau de bord \({libelle}\) : premier affichage \d+ ms, {premier} requêtes SQL ; "
            r"ensuite, chiffres en cache : médiane \d+ ms, .* 4 requêtes SQL",
            texte,
        )
    assert Promotion.objects.count() == promotions
    assert not base_de_mesure_existe()
