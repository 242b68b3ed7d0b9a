"""The daily task sends each reminder exactly once; an SMTP failure is tried again by the outbox's sweep."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from binomes.models import StatutBinome
from mentorat.models import EtatEnvoi
from mentorat.tasks import balayer_courriels
from suivi import services
from suivi.models import Rappel, TypeRappel
from suivi.tasks import envoyer_rappel, planifier_rappels
from tests.factories import BinomeFactory
from tests.suivi.factories import RencontreFactory

# "Today" is the Paris day: the daily task counts the weeks of silence from it.
pytestmark = pytest.mark.horloges


@pytest.fixture
def envoi(django_capture_on_commit_callbacks):
    """Run what is enqueued after commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def dus(promotion):
    """Two pairs silent for 50 days (reminder), one for 60 days (alert), one that met 10 days ago."""
    aujourd_hui = timezone.localdate()
    binomes = BinomeFactory.create_batch(4, promotion=promotion)
    for binome, jours in zip(binomes, [50, 50, 60, 10], strict=True):
        RencontreFactory(binome=binome, date=aujourd_hui - datetime.timedelta(days=jours))
    return binomes


def test_tache_lancee_deux_fois_n_envoie_qu_une_fois(dus, mailoutbox, envoi):
    with envoi():
        planifier_rappels.delay()
    with envoi():
        planifier_rappels.delay()

    assert sorted(m.subject for m in mailoutbox) == [
        "Mentorat : 8 semaines sans rencontre",
        "Mentorat : pensez à fixer votre prochaine rencontre",
        "Mentorat : pensez à fixer votre prochaine rencontre",
    ]
    assert Rappel.objects.count() == 3
    assert not Rappel.objects.a_envoyer().exists()


def test_envoi_deja_fait_ou_pris_par_un_autre_worker_n_envoie_rien(dus, mailoutbox, envoi):
    [rappel_id] = services.creer_rappels_dus(aujourd_hui=timezone.localdate())[:1]
    Rappel.objects.filter(pk=rappel_id).update(reserve_le=timezone.now())  # another worker is sending it

    assert envoyer_rappel.delay(rappel_id).get() is False
    assert mailoutbox == []


def test_envoi_repris_apres_un_worker_tue(dus, mailoutbox, envoi):
    [rappel_id] = services.creer_rappels_dus(aujourd_hui=timezone.localdate())[:1]
    Rappel.objects.filter(pk=rappel_id).update(reserve_le=timezone.now() - datetime.timedelta(hours=1))

    with envoi():
        planifier_rappels.delay()

    assert len(mailoutbox) == 3
    assert Rappel.objects.get(pk=rappel_id).envoye_le is not None


def test_binome_arrete_entre_la_creation_et_l_envoi_ne_recoit_rien(dus, mailoutbox, envoi):
    ids = services.creer_rappels_dus(aujourd_hui=timezone.localdate())
    for binome in dus:
        binome.statut = StatutBinome.ARRETE
        binome.save()

    with envoi():
        planifier_rappels.delay()
    envoyes = [envoyer_rappel.delay(pk).get() for pk in ids]

    assert envoyes == [False, False, False]
    assert mailoutbox == []


def test_echec_smtp_puis_nouvel_essai_envoie_une_fois(promotion, mailoutbox, envoi):
    binome = BinomeFactory(promotion=promotion)
    RencontreFactory(binome=binome, date=timezone.localdate() - datetime.timedelta(days=45))
    panne = smtplib.SMTPServerDisconnected("Connexion perdue")

    with mock.patch.object(EmailBackend, "send_messages", side_effect=panne), envoi():
        planifier_rappels.delay()
    rappel = Rappel.objects.get()
    assert (rappel.etat, rappel.tentatives, mailoutbox) == (EtatEnvoi.EN_RETARD, 1, [])
    # The sweep tries again once the delay has passed (one minute after a first failure).
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False), envoi():
        balayer_courriels.delay()
        planifier_rappels.delay()  # a second daily run sends nothing more

    assert len(mailoutbox) == 1
    rappel.refresh_from_db()
    assert (rappel.tentatives, rappel.derniere_erreur) == (2, "")
    assert rappel.envoye_le is not None


def test_echecs_smtp_visibles_dans_l_administration(promotion, mailoutbox, client, ingenieur, envoi):
    binome = BinomeFactory(promotion=promotion)
    RencontreFactory(binome=binome, date=timezone.localdate() - datetime.timedelta(days=45))
    panne = smtplib.SMTPServerDisconnected("Connexion perdue")

    with mock.patch.object(EmailBackend, "send_messages", side_effect=panne), envoi():
        planifier_rappels.delay()

    rappel = Rappel.objects.get()
    assert rappel.envoye_le is None
    assert "Connexion perdue" in rappel.derniere_erreur
    client.force_login(ingenieur)  # reminders are tracking facts: the engineers' screen
    page = client.get("/admin/suivi/rappel/?envoi=echec")
    assert "Connexion perdue" in page.content.decode()
    assert "Connexion perdue" in client.get("/admin/suivi/rappel/?etat=en_retard").content.decode()
    assert "Connexion perdue" not in client.get("/admin/suivi/rappel/?etat=envoye").content.decode()


def test_rencontre_apres_un_ecart_depasse_informe_le_referent(binome, mentore, mailoutbox, envoi):
    aujourd_hui = timezone.localdate()
    RencontreFactory(binome=binome, date=aujourd_hui - datetime.timedelta(days=80))

    with envoi():
        services.enregistrer_rencontre(
            binome=binome, par=mentore, date=aujourd_hui - datetime.timedelta(days=3), mode="visio", themes=[]
        )

    [message] = mailoutbox
    assert message.to == [binome.referent.email]
    assert message.subject == "Mentorat : rencontre notée après un écart dépassé"
    assert Rappel.objects.get().type == TypeRappel.ECART_DEPASSE


def test_rencontre_dans_les_huit_semaines_n_informe_personne(binome, mentore, mailoutbox, envoi):
    aujourd_hui = timezone.localdate()
    RencontreFactory(binome=binome, date=aujourd_hui - datetime.timedelta(days=59))

    with envoi():
        services.enregistrer_rencontre(
            binome=binome, par=mentore, date=aujourd_hui - datetime.timedelta(days=3), mode="visio", themes=[]
        )

    assert mailoutbox == []


def test_le_texte_du_rappel_est_calcule_a_l_envoi(promotion, mailoutbox):
    """Created at six weeks, sent a week later (a worker down, an SMTP outage): the e-mail says seven weeks."""
    binome = BinomeFactory(promotion=promotion)
    reference = timezone.localdate() - datetime.timedelta(days=42)
    RencontreFactory(binome=binome, date=reference)
    [rappel_id] = services.creer_rappels_dus(aujourd_hui=timezone.localdate())

    # Seven days and two hours: a week later in Paris, on the nights the clocks change too.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, hours=2)):
        assert envoyer_rappel.delay(rappel_id).get() is True

    [courriel] = mailoutbox
    assert "soit 7 semaines" in courriel.body
    assert "soit six semaines" not in courriel.body
