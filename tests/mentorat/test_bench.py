"""`make bench`'s pieces that can be checked in milliseconds: wrk's output read right, the bare view only in the
benchmark's own URLs. (The whole run takes minutes: it is run by hand, `make bench`, never by the suite.)"""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from mentorat.management.commands.bench import lire_wrk

# gunicorn's cache, as `CACHE_URL` in production, and the broker of the command's Celery worker: a Redis base of its
# own, not the tests' (the command empties it before and after, which would lose the messages of the real-worker
# tests running beside it).
REDIS = os.environ.get("TEST_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")

SORTIE_WRK = """Running 5s test @ http://127.0.0.1:40001/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   178.03ms   40.12ms 310.55ms   70.00%
    Req/Sec    43.10     12.00    70.00     66.00%
  Latency Distribution
     50%  172.40ms
     75%  200.10ms
     90%  240.00ms
     99%    1.02s
  425 requests in 5.01s, 3.10MB read
  Non-2xx or 3xx responses: 3
Requests/sec:     84.83
Transfer/sec:    633.10KB
"""


def test_la_sortie_de_wrk_est_lue():
    assert lire_wrk(SORTIE_WRK) == (84.83, 172.4, 1020.0, 3)
    assert lire_wrk(SORTIE_WRK.replace("  Non-2xx or 3xx responses: 3\n", ""))[3] == 0


def test_la_vue_nue_n_existe_que_dans_les_urls_de_mesure():
    with pytest.raises(NoReverseMatch):
        reverse("mesure_vue_nue")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="mentorat.urls_mesure")
def test_la_vue_nue_fait_un_select_1(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        reponse = client.get(reverse("mesure_vue_nue"))

    assert reponse.content == b"ok"


@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_le_banc_mesure_chaque_page_sous_gunicorn_a_cote_de_la_vue_nue(base_de_mesure_existe):
    sortie = io.StringIO()

    # One gunicorn worker and two connections: the load a test needs, leaving the machine's other core to the
    # other tests (`make bench` keeps its two workers and sixteen connections).
    call_command(
        "bench",
        candidatures=40,
        binomes=20,
        rencontres=160,
        reponses=12,
        duree="1s",
        tours=1,
        connexions=2,
        workers=1,
        redis=REDIS,
        stdout=sortie,
    )

    texte = sortie.getvalue()
    # The promotion measured, four earlier ones a tenth of its size, the campaign's and the one recruiting.
    assert re.search(r"56 candidatures, 28 binômes, \d+ rencontres, 12 réponses, 7 promotions", texte)
    lignes = {ligne.split(" | ")[0].strip("| "): ligne for ligne in texte.splitlines() if ligne.startswith("| ")}
    assert lignes["vue nue (SELECT 1)"].endswith("| 1 | 1.000 |")
    for page in ("accueil (anonyme)", "espace du binôme /espace/", "tableau de bord /suivi/", "admin : binômes"):
        assert re.search(r"\| [\d.]+ \| \d+ \| \d+ \| \d+ \| [\d.]+ \|$", lignes[page]), lignes[page]
    # Twenty pairs: laid out by one process (`mentorat.pdf.MINIMUM_PAR_PARTIE`).
    assert re.search(r"tableaux de suivi, PDF \(1 processus\) \| [\d.]+ s", texte)
    # Then asked as an engineer asks it, and produced by a real Celery worker.
    assert re.search(r"tableaux de suivi, PDF, de la demande au document prêt \(worker Celery\) \| [\d.]+ s", texte)
    assert not base_de_mesure_existe()


@pytest.mark.lent
@pytest.mark.django_db(transaction=True)
def test_le_banc_profile_chaque_page(base_de_mesure_existe):
    sortie = io.StringIO()

    call_command(
        "bench",
        candidatures=20,
        binomes=10,
        rencontres=40,
        reponses=12,
        profil=1,
        sans_exports=True,
        redis=REDIS,
        stdout=sortie,
    )

    assert re.search(r"== tableau de bord /suivi/ : [\d.]+ ms par affichage, \d+ requêtes", sortie.getvalue())
    assert not base_de_mesure_existe()
