"""`manage.py sante`, the worker's health check in docker-compose.yml (`sante --retard-max 1800`): its failure is
what marks the container unhealthy, its JSON what the operator reads."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from mentorat import courriels
from tests.factories import UtilisateurFactory


def _sante(*arguments: str) -> tuple[dict, str | None]:
    """The report the command printed, and its error (None when healthy)."""
    sortie = io.StringIO()
    try:
        call_command("sante", *arguments, stdout=sortie)
    except CommandError as erreur:
        return json.loads(sortie.getvalue()), str(erreur)
    return json.loads(sortie.getvalue()), None


@pytest.mark.django_db
def test_la_sante_du_worker_est_bonne_quand_la_base_repond_et_qu_aucun_courriel_n_attend():
    rapport, erreur = _sante("--retard-max", "1800")

    assert erreur is None
    assert rapport["statut"] == "ok"
    assert rapport["base"] == "ok"
    assert rapport["courriels"] == {"plus_ancien_du": None, "retard_secondes": 0}


@pytest.mark.django_db
def test_la_sante_du_worker_echoue_quand_son_broker_ne_repond_pas(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    rapport, erreur = _sante()

    assert erreur == "Base ou broker injoignable."
    assert (rapport["statut"], rapport["broker"]) == ("degrade", "indisponible")


@pytest.mark.django_db
def test_la_sante_du_worker_echoue_quand_un_courriel_attend_plus_que_permis():
    # Never committed, its sending is never asked: it waits, due since it was put in the outbox.
    utilisateur = UtilisateurFactory(email="a@exemple.fr")
    courriels.mettre_en_file("candidature-confirmation", [utilisateur.email], {"utilisateur": utilisateur}, cle="sante")

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1), tick=False):
        rapport, erreur = _sante("--retard-max", "7200")
        assert erreur is None
        assert rapport["courriels"]["retard_secondes"] >= 3500
        _rapport, erreur = _sante("--retard-max", "1800")
    assert erreur is not None
    assert erreur.startswith("Un courriel attend depuis ")
    assert erreur.endswith(" s après son heure d'envoi.")
