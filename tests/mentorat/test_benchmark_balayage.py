import io
import re

import pytest
from django.core.management import call_command

from mentorat.models import Courriel


@pytest.mark.django_db(transaction=True)
def test_la_mesure_du_balayage_imprime_temps_et_requetes_dans_sa_propre_base(base_de_mesure_existe):
    sortie = io.StringIO()

    call_command("benchmark_balayage", courriels=120, deja_envoyes=30, lot=50, stdout=sortie)

    texte = sortie.getvalue()
    # Three batches of at most 50 rows, each a transaction of two statements (read with SKIP LOCKED, move one lease
    # ahead) for the e-mails; one empty read for each of the two other tables (reminders, questionnaire deliveries).
    assert re.search(r"Balayage : 120 courriels mis en file sur 150 lignes en [\d.]+ s .*, 18 requêtes SQL", texte)
    assert re.search(r"Balayage suivant \(rien de dû\) : 0 courriel en [\d.]+ ms, 9 requêtes SQL", texte)
    assert not Courriel.objects.exists()
    assert not base_de_mesure_existe()
