import io

import pytest
from django.core.management import call_command

from evaluation.models import Campagne, Reponse
from mentorat.models import Promotion


@pytest.mark.django_db(transaction=True)
def test_mesure_du_pdf_imprime_les_chiffres_dans_sa_propre_base(base_de_mesure_existe):
    promotions = Promotion.objects.count()
    sortie = io.StringIO()

    call_command("benchmark_synthese_pdf", reponses=20, stdout=sortie)

    lignes = sortie.getvalue().splitlines()
    assert lignes[0] == "Réponses : 20"
    assert lignes[2].startswith("Rendu du PDF de synthèse : ") and lignes[2].endswith(" s (objectif < 3 s)")
    assert lignes[-1].endswith("créée puis supprimée : la base de l'application n'a pas été modifiée.")
    assert (Promotion.objects.count(), Campagne.objects.count(), Reponse.objects.count()) == (promotions, 0, 0)
    assert not base_de_mesure_existe()
