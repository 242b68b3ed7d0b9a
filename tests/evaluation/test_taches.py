"""The daily task invites the participants and reminds those who have not answered, each e-mail once."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from binomes.models import StatutBinome
from evaluation import services
from evaluation.models import Envoi, Invitation, TypeCampagne
from evaluation.tasks import envoyer_envoi, planifier_envois
from mentorat.tasks import balayer_courriels
from tests.factories import BinomeFactory

from .conftest import reponses_types
from .factories import CampagneFactory


@pytest.fixture
def campagne_neuve(promotion):
    """Two active pairs, one finished, one stopped, one proposed; an open campaign nobody is invited to yet."""
    for statut in [
        StatutBinome.ACTIF,
        StatutBinome.ACTIF,
        StatutBinome.TERMINE,
        StatutBinome.ARRETE,
        StatutBinome.PROPOSE,
    ]:
        BinomeFactory(promotion=promotion, statut=statut)
    maintenant = timezone.now()
    return CampagneFactory(
        promotion=promotion,
        ouverture=maintenant - datetime.timedelta(hours=1),
        fermeture=maintenant + datetime.timedelta(days=30),
    )


def test_invitations_des_binomes_concernes_envoyees_une_fois(campagne_neuve, mailoutbox, envoi):
    with envoi():
        planifier_envois.delay()
    with envoi():
        planifier_envois.delay()

    assert campagne_neuve.invitations.count() == 6  # 3 pairs (2 active, 1 finished) x 2
    assert len(mailoutbox) == 6
    assert mailoutbox[0].subject == "Questionnaire de mi-parcours — programme de mentorat"
    assert "/questionnaire/" in mailoutbox[0].body


def test_fin_de_binome_invite_les_binomes_arretes(promotion, campagne_neuve, mailoutbox, envoi):
    campagne = CampagneFactory(promotion=promotion, type=TypeCampagne.FIN_DE_BINOME)

    with envoi():
        planifier_envois.delay()

    assert campagne.invitations.count() == 2
    assert (
        sorted(m.subject for m in mailoutbox)[0]
        == "Questionnaire de fin de binôme (arrêt anticipé) — programme de mentorat"
    )


def test_relances_au_tiers_et_aux_deux_tiers_seulement_sans_reponse(campagne_neuve, questions, mailoutbox, envoi):
    with envoi():
        planifier_envois.delay()
    repondu = campagne_neuve.invitations.order_by("pk").first()
    services.repondre(invitation_id=repondu.pk, valeurs=reponses_types(questions))
    mailoutbox.clear()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)), envoi():
        planifier_envois.delay()
        planifier_envois.delay()
    premieres = len(mailoutbox)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=21)), envoi():
        planifier_envois.delay()

    assert premieres == 5
    assert len(mailoutbox) == 10
    assert all(m.subject.startswith("Rappel — ") for m in mailoutbox)
    assert repondu.utilisateur.email not in {a for m in mailoutbox for a in m.to}


def test_rien_apres_la_cloture(campagne_neuve, mailoutbox, envoi):
    with time_machine.travel(campagne_neuve.fermeture), envoi():
        planifier_envois.delay()

    assert mailoutbox == []
    assert Invitation.objects.count() == 0


def test_envoi_pris_par_un_autre_worker_n_envoie_rien(campagne_neuve, mailoutbox):
    [envoi_id, *_] = services.preparer_envois()
    Envoi.objects.filter(pk=envoi_id).update(reserve_le=timezone.now())

    assert envoyer_envoi.delay(envoi_id).get() is False
    assert mailoutbox == []


def test_echec_smtp_puis_nouvel_essai_envoie_une_fois(promotion, mailoutbox, envoi):
    BinomeFactory(promotion=promotion)
    CampagneFactory(promotion=promotion)
    vrai_envoi = EmailBackend.send_messages
    appels = []

    def panne_puis_envoi(backend, messages):
        appels.append(1)
        if len(appels) == 1:
            raise smtplib.SMTPServerDisconnected("Connexion perdue")
        return vrai_envoi(backend, messages)

    with mock.patch.object(EmailBackend, "send_messages", panne_puis_envoi):
        with envoi():
            planifier_envois.delay()
        assert len(mailoutbox) == 1  # the failed one waits for the sweep
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2), tick=False), envoi():
            balayer_courriels.delay()

    assert len(appels) == 3
    assert len(mailoutbox) == 2
    assert Envoi.objects.filter(envoye_le=None).count() == 0
    assert sorted(Envoi.objects.values_list("tentatives", flat=True)) == [1, 2]


def test_invite_tard_pas_de_relances_le_meme_jour(promotion, mailoutbox, envoi):
    # An end-of-pair campaign runs all year: a pair stopped at two thirds of it is invited then.
    maintenant = timezone.now()
    campagne = CampagneFactory(
        promotion=promotion,
        type=TypeCampagne.FIN_DE_BINOME,
        ouverture=maintenant - datetime.timedelta(days=240),
        fermeture=maintenant + datetime.timedelta(days=60),
    )
    BinomeFactory(promotion=promotion, statut=StatutBinome.ARRETE)

    with envoi():
        planifier_envois.delay()
    invitation_seule = sorted(m.subject for m in mailoutbox)
    with time_machine.travel(maintenant + datetime.timedelta(days=4)), envoi():
        planifier_envois.delay()
    quatre_jours_apres = len(mailoutbox)
    with time_machine.travel(maintenant + datetime.timedelta(days=5, hours=1)), envoi():
        planifier_envois.delay()
    with time_machine.travel(maintenant + datetime.timedelta(days=10, hours=2)), envoi():
        planifier_envois.delay()

    assert invitation_seule == ["Questionnaire de fin de binôme (arrêt anticipé) — programme de mentorat"] * 2
    assert quatre_jours_apres == 2
    assert [m.subject.startswith("Rappel — ") for m in mailoutbox] == [False] * 2 + [True] * 4
    assert sorted(campagne.invitations.values_list("envois__type", flat=True)) == sorted(
        ["invitation", "relance_1", "relance_2"] * 2
    )
