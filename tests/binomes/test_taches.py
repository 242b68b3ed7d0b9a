"""The pairs' Celery tasks: SMTP failures propagate so that the task is retried, then the e-mail goes out."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend

from binomes import tasks
from binomes.models import AnnonceSansBinome, StatutBinome
from candidatures.models import Statut
from tests.factories import BinomeFactory, CandidatureFactory

pytestmark = pytest.mark.django_db


def test_echec_smtp_reessaye_puis_envoie(monkeypatch, binome, mentore, mailoutbox):
    binome.arret_demande_par, binome.motif_arret = mentore, "autre"
    binome.save()
    envoi = EmailBackend.send_messages
    essais = []

    def panne_passagere(self, messages):
        essais.append(1)
        if len(essais) < 3:
            raise smtplib.SMTPServerDisconnected("connexion perdue")
        return envoi(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", panne_passagere)
    # Eager Celery runs the retries at once as long as errors are not propagated to the caller.
    monkeypatch.setitem(tasks.prevenir_referent_arret.app.conf, "task_eager_propagates", False)

    tasks.prevenir_referent_arret.delay(binome.pk)

    assert len(essais) == 3
    assert [m.to for m in mailoutbox] == [[binome.referent.email]]


def test_activer_binomes_tache(promotion, ingenieur, time_machine):
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.CONFIRME)
    time_machine.move_to(promotion.journee_lancement.isoformat() + "T10:00:00+02:00")

    assert tasks.activer_binomes.delay().get() == 1
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.ACTIF


def test_annonce_sans_binome_reessayee_apres_echec_smtp_puis_jamais_repetee(monkeypatch, promotion, mailoutbox):
    seule = CandidatureFactory(promotion=promotion, statut=Statut.RETENUE)
    envoi = EmailBackend.send_messages
    essais = []

    def panne_passagere(self, messages):
        essais.append(1)
        if len(essais) < 2:
            raise smtplib.SMTPServerDisconnected("connexion perdue")
        return envoi(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", panne_passagere)
    monkeypatch.setitem(tasks.annoncer_sans_binome.app.conf, "task_eager_propagates", False)

    tasks.annoncer_sans_binome.delay(seule.pk)
    tasks.annoncer_sans_binome.delay(seule.pk)

    # The failed attempt left no claim behind: the retry sent it; the second task found it already sent.
    assert len(essais) == 2
    assert [m.to for m in mailoutbox] == [[seule.utilisateur.email]]
    assert AnnonceSansBinome.objects.filter(candidature=seule).count() == 1
