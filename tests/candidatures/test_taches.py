"""The e-mail tasks: an SMTP failure is retried and never loses the recorded application or decision."""

import smtplib
from unittest import mock

import pytest
from django.core.mail.backends.locmem import EmailBackend

from candidatures import services
from candidatures.models import Statut
from candidatures.tasks import notifier_statut

pytestmark = pytest.mark.django_db


@pytest.fixture
def nouvel_essai_immediat(monkeypatch):
    """Eager Celery runs a task's retries at once, as long as errors are not propagated to the caller."""
    monkeypatch.setitem(notifier_statut.app.conf, "task_eager_propagates", False)


def test_panne_smtp_puis_envoi_la_decision_est_notifiee(
    candidat, pilote, mailoutbox, apres_commit, nouvel_essai_immediat
):
    vrai_envoi = EmailBackend.send_messages
    appels = []

    def panne_puis_envoi(backend, messages):
        appels.append(1)
        if len(appels) == 1:
            raise smtplib.SMTPServerDisconnected("Connexion perdue")
        return vrai_envoi(backend, messages)

    with mock.patch.object(EmailBackend, "send_messages", panne_puis_envoi), apres_commit():
        services.changer_statut(candidature=candidat, statut=Statut.RETENUE, par=pilote)

    assert len(appels) == 2
    assert [m.to for m in mailoutbox] == [[candidat.utilisateur.email]]
    candidat.refresh_from_db()
    assert candidat.statut == Statut.RETENUE
