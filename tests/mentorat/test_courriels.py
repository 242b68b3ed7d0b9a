"""The outbox, in this process, against a real SMTP server on loopback (tests/serveur_smtp.py).

Celery runs eagerly here (the e-mail task runs at commit); the tests with a real worker are in
test_courriels_reels.py. Time moves with time-machine, so that hours of retries take no time.
"""

import datetime
import logging

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentorat import courriels, surveillance
from mentorat.celery import app
from mentorat.models import Courriel, EtatEnvoi, ExecutionPeriodique, Utilisateur
from mentorat.tasks import balayer_courriels, envoyer_courriel
from tests.factories import UtilisateurFactory
from tests.serveur_smtp import ServeurSmtp

pytestmark = pytest.mark.django_db

CONTEXTE = {"lien_confirmation": "https://exemple.fr/lien", "jours_validite": 3}


@pytest.fixture
def smtp(settings):
    with ServeurSmtp() as serveur:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", serveur.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 1
        yield serveur


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what is enqueued after commit (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _en_file(adresse="a@exemple.fr", cle="essai:1", nom="candidature-confirmation", contexte=None):
    utilisateur = Utilisateur.objects.filter(email=adresse).first() or UtilisateurFactory(email=adresse)
    return courriels.mettre_en_file(nom, [adresse], {"utilisateur": utilisateur, **(contexte or CONTEXTE)}, cle=cle)


def _balayer(commit, instant):
    with time_machine.travel(instant, tick=False), commit():
        return balayer_courriels.delay().get()


def test_ecrit_avec_la_transaction_et_envoye_une_fois_avec_son_message_id(smtp, commit):
    with commit():
        courriel = _en_file()
        assert _en_file(cle="essai:1") == courriel  # the same fact told twice: one row

    courriel.refresh_from_db()
    assert smtp.recus == {"a@exemple.fr": 1}
    assert (courriel.etat, courriel.tentatives, courriel.contexte) == (EtatEnvoi.ENVOYE, 1, {})
    assert smtp.comportement.message_ids == [courriel.message_id]


def test_annule_avec_la_transaction_rien_n_est_envoye(smtp, commit):
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        _en_file()
        raise RuntimeError

    assert not Courriel.objects.exists()
    assert smtp.recus == {}


def test_451_reessaye_plus_tard_puis_envoye_une_fois(smtp, commit):
    smtp.mode("451")
    with commit():
        courriel = _en_file()
    courriel.refresh_from_db()
    assert courriel.etat == EtatEnvoi.EN_RETARD
    assert courriel.derniere_erreur == "a@exemple.fr : 451 4.2.2 Boîte pleine, réessayez plus tard"
    premier_essai = courriel.prochaine_tentative

    assert _balayer(commit, timezone.now()) == 0  # not due yet: the delay doubles from one minute
    instant = timezone.now()
    for _ in range(6):  # more than an hour of refusals
        instant += datetime.timedelta(hours=1)
        _balayer(commit, instant)
    smtp.mode("accepte")
    _balayer(commit, instant + datetime.timedelta(hours=1))

    courriel.refresh_from_db()
    assert smtp.recus == {"a@exemple.fr": 1}
    assert courriel.tentatives == 8
    assert courriel.etat == EtatEnvoi.ENVOYE
    assert premier_essai - courriel.premiere_erreur_le == datetime.timedelta(minutes=1)


def test_451_au_dela_de_la_duree_des_relances_abandonne(smtp, commit, settings, caplog):
    smtp.mode("451")
    with commit():
        courriel = _en_file()
    with caplog.at_level(logging.ERROR, logger="mentorat.courriels"):
        _balayer(commit, timezone.now() + datetime.timedelta(seconds=settings.COURRIELS_DUREE_RELANCES_SECONDES + 60))

    courriel.refresh_from_db()
    assert courriel.etat == EtatEnvoi.ECHOUE
    assert "abandonné" in caplog.text
    assert _balayer(commit, timezone.now() + datetime.timedelta(days=5)) == 0


def test_550_abandonne_au_premier_essai_puis_renvoye_apres_correction(smtp, commit, client, ingenieur):
    smtp.mode("550")
    with commit():
        courriel = _en_file(adresse="inconnu@exemple.fr")
    courriel.refresh_from_db()
    assert (courriel.etat, courriel.tentatives) == (EtatEnvoi.ECHOUE, 1)
    assert courriel.derniere_erreur == "inconnu@exemple.fr : 550 5.1.1 Adresse inconnue"
    assert _balayer(commit, timezone.now() + datetime.timedelta(days=1)) == 0  # never tried again by itself

    client.force_login(ingenieur)
    page = client.get("/admin/mentorat/courriel/", {"etat": "echoue"}).content.decode()
    assert "550 5.1.1 Adresse inconnue" in page
    smtp.mode("accepte")
    Courriel.objects.filter(pk=courriel.pk).update(destinataires=["connu@exemple.fr"])
    with commit():
        reponse = client.post(
            "/admin/mentorat/courriel/", {"action": "renvoyer", "_selected_action": [courriel.pk]}, follow=True
        )
    assert "1 courriel sera renvoyé." in reponse.content.decode()
    assert smtp.recus == {"connu@exemple.fr": 1}


def test_serveur_muet_delai_depasse_puis_reessaye(smtp, commit):
    smtp.mode("muet")
    with commit():
        courriel = _en_file()
    courriel.refresh_from_db()
    assert courriel.etat == EtatEnvoi.EN_RETARD
    assert "timed out" in courriel.derniere_erreur
    assert courriel.reserve_le is None  # the claim is released: nothing waits for the lease

    smtp.mode("accepte")
    _balayer(commit, timezone.now() + datetime.timedelta(minutes=2))
    assert smtp.recus == {"a@exemple.fr": 1}


def test_une_erreur_de_gabarit_n_arrete_pas_les_autres(smtp, commit):
    with commit():
        casse = _en_file(nom="gabarit-inexistant", cle="essai:casse")
        bon = _en_file(adresse="b@exemple.fr", cle="essai:bon")
    casse.refresh_from_db()
    bon.refresh_from_db()
    assert (casse.etat, bon.etat) == (EtatEnvoi.ECHOUE, EtatEnvoi.ENVOYE)
    assert "TemplateDoesNotExist" in casse.derniere_erreur


def test_broker_injoignable_la_demande_aboutit_et_le_balayage_envoie(smtp, commit, monkeypatch, caplog):
    """The real outage (a Redis stopped) is in test_courriels_reels.py; here, kombu's error as it raises it."""

    def broker_arrete(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(envoyer_courriel, "apply_async", broker_arrete)
    with caplog.at_level(logging.WARNING, logger="mentorat.courriels"), commit():
        courriel = _en_file()
    assert "file de tâches injoignable (OperationalError)" in caplog.text
    assert smtp.recus == {}

    monkeypatch.undo()
    _balayer(commit, timezone.now())
    courriel.refresh_from_db()
    assert courriel.etat == EtatEnvoi.ENVOYE
    assert smtp.recus == {"a@exemple.fr": 1}


def test_deux_balayages_ne_prennent_pas_les_memes_lignes(smtp, commit):
    smtp.mode("451")
    with commit():
        _en_file()
    instant = timezone.now() + datetime.timedelta(minutes=5)
    with time_machine.travel(instant, tick=False):
        premier = courriels.balayer()
        second = courriels.balayer()  # the row is now a lease ahead: left to the task just enqueued
    assert (premier, second) == (1, 0)


def test_sante_et_tableau_de_bord_montrent_l_ancien_du_et_les_echecs(smtp, commit, client, ingenieur):
    smtp.mode("550")
    with commit():
        _en_file(adresse="inconnu@exemple.fr")
    smtp.mode("451")
    with commit():
        _en_file(adresse="pleine@exemple.fr", cle="essai:2")
    ExecutionPeriodique.objects.create(tache="mentorat.tasks.balayer_courriels", derniere_le=timezone.now())

    plus_tard = timezone.now() + datetime.timedelta(hours=1)
    with time_machine.travel(plus_tard, tick=False):
        sante = client.get("/healthz/").json()
    assert sante["courriels"]["retard_secondes"] >= 3500
    assert sante["taches_periodiques"]["balayage-courriels"] is not None

    client.force_login(ingenieur)
    page = client.get("/suivi/").content.decode()
    assert "2 courriels en échec ou en retard" in page
    assert "550 5.1.1 Adresse inconnue" in page
    assert "Échec définitif" in page and "En retard (nouvel essai prévu)" in page


def test_resume_quotidien_au_comite_quand_un_courriel_a_echoue(smtp, commit, pilote, ingenieur):
    assert surveillance.resumer_les_echecs() == 0
    smtp.mode("550")
    with commit():
        _en_file(adresse="inconnu@exemple.fr")
    smtp.mode("accepte")

    with commit():
        assert surveillance.resumer_les_echecs() == 1
        assert surveillance.resumer_les_echecs() == 1  # a second run the same day tells nothing more

    assert smtp.recus == {pilote.email: 1, ingenieur.email: 1}
    resume = Courriel.objects.get(nom="courriels-echecs")
    assert resume.etat == EtatEnvoi.ENVOYE


def test_erreurs_classees_temporaires_ou_definitives():
    import smtplib

    assert courriels.permanente(smtplib.SMTPRecipientsRefused({"a@b.fr": (550, b"non")}))
    assert not courriels.permanente(smtplib.SMTPRecipientsRefused({"a@b.fr": (451, b"plus tard")}))
    assert courriels.permanente(smtplib.SMTPDataError(554, b"refus"))
    assert not courriels.permanente(smtplib.SMTPServerDisconnected("perdu"))
    assert not courriels.permanente(ConnectionRefusedError())
    assert courriels.permanente(KeyError("gabarit"))


def test_la_boite_d_envoi_reservee_aux_ingenieurs(smtp, commit, client, pilote):
    smtp.mode("550")
    with commit():
        _en_file(adresse="inconnu@exemple.fr")
    client.force_login(pilote)

    assert client.get("/admin/mentorat/courriel/").status_code == 403
    assert "550 5.1.1" not in client.get("/suivi/").content.decode()
