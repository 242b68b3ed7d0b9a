import io

from django.core.management import call_command

from evaluation.models import Campagne, Reponse
from mentorat.models import Promotion


def test_mesure_du_pdf_imprime_les_chiffres_et_ne_laisse_rien(db):
    promotions = Promotion.objects.count()
    sortie = io.StringIO()

    call_command("benchmark_synthese_pdf", reponses=20, stdout=sortie)

    lignes = sortie.getvalue().splitlines()
    assert lignes[0] == "Réponses : 20"
    assert lignes[2].startswith("Rendu du PDF de synthèse : ") and lignes[2].endswith(" s (objectif < 3 s)")
    assert (Promotion.objects.count(), Campagne.objects.count(), Reponse.objects.count()) == (promotions, 0, 0)
