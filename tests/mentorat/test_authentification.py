"""The signed-in account read with its groups and its second factor in one query (`mentorat.authentification`), never
kept longer than the request: a change of groups, of the account or of its devices shows at the next page."""

import datetime

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorat.authentification import ComptesEtGroupes, SecondFacteurDuCompte, compte_et_groupes
from mentorat.models import GROUPE_INGENIEUR, GROUPE_PILOTE
from mentorat.rules import est_ingenieur, est_membre_du_comite, groupes
from tests.factories import AppareilTotpFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_le_compte_vient_avec_ses_groupes_en_une_requete(ingenieur, django_assert_num_queries):
    ingenieur.groups.add(Group.objects.get(name=GROUPE_PILOTE))

    with django_assert_num_queries(1):
        lu = compte_et_groupes(ingenieur.pk)
        assert lu is not None
        assert est_ingenieur(lu)
        assert est_membre_du_comite(lu)
        assert groupes(lu) == sorted([GROUPE_INGENIEUR, GROUPE_PILOTE])


def test_un_compte_sans_groupe_ou_inconnu(utilisateur, django_assert_num_queries):
    with django_assert_num_queries(1):
        lu = compte_et_groupes(utilisateur.pk)
        assert lu is not None
        assert groupes(lu) == []
    assert compte_et_groupes(utilisateur.pk + 1000) is None


def test_un_compte_desactive_n_est_plus_connecte(utilisateur):
    utilisateur.is_active = False
    utilisateur.save()

    assert ComptesEtGroupes().get_user(utilisateur.pk) is None


def test_un_ingenieur_retire_de_son_groupe_le_perd_a_la_page_suivante(client, ingenieur):
    client.force_login(ingenieur)
    assert client.get(reverse("suivi:tableau_de_bord")).status_code == 200

    ingenieur.groups.clear()

    assert client.get(reverse("suivi:tableau_de_bord")).status_code == 403


def _session_verifiee_par(client, appareil) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
    session.save()


def test_l_application_du_second_facteur_vient_avec_le_compte(client, ingenieur, django_assert_num_queries):
    client.force_login(ingenieur)  # verified by its authenticator application (`ClientDuComite`)
    # A device already used, with a failure counted and large counters: every column set, as a query reads it.
    TOTPDevice.objects.filter(user=ingenieur).update(
        last_used_at=timezone.now() - datetime.timedelta(minutes=3, microseconds=7),
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=40),
        throttling_failure_count=2,
        t0=2**40,
        last_t=2**45 + 1,
        drift=-1,
    )
    appareil = TOTPDevice.objects.get(user=ingenieur, confirmed=True)
    requete = RequestFactory().get("/")
    requete.session = client.session
    assert requete.session.get(DEVICE_ID_SESSION_KEY) == appareil.persistent_id  # the session read beforehand

    with django_assert_num_queries(1):
        lu = _utilisateur_verifie(requete)
        assert lu.is_verified()

    # Read as a query reads it: its values and types, its state, fit to verify a code and be saved.
    assert lu.otp_device == appareil
    assert vars(lu.otp_device).keys() == vars(appareil).keys()
    assert {cle: valeur for cle, valeur in vars(lu.otp_device).items() if cle != "_state"} == {
        cle: valeur for cle, valeur in vars(appareil).items() if cle != "_state"
    }
    assert not lu.otp_device._state.adding


def test_une_session_verifiee_par_les_codes_de_secours_le_reste(client, ingenieur):
    client.force_login(ingenieur, second_facteur=False)
    codes = StaticDevice.objects.create(user=ingenieur, name="Codes", confirmed=True)
    _session_verifiee_par(client, codes)

    assert client.get(reverse("suivi:tableau_de_bord")).status_code == 200


@pytest.mark.parametrize("cas", ["desactivee", "d_un_autre_compte", "supprimee"])
def test_une_application_qui_ne_vaut_plus_ne_verifie_pas_la_session(client, ingenieur, cas):
    client.force_login(ingenieur, second_facteur=False)
    appareil = AppareilTotpFactory(user=ingenieur if cas != "d_un_autre_compte" else UtilisateurFactory())
    _session_verifiee_par(client, appareil)
    if cas == "desactivee":
        TOTPDevice.objects.filter(pk=appareil.pk).update(confirmed=False)
    elif cas == "supprimee":
        appareil.delete()

    reponse = client.get(reverse("suivi:tableau_de_bord"))

    assert reponse.status_code == 302
    assert DEVICE_ID_SESSION_KEY not in client.session


def _utilisateur_verifie(requete):
    AuthenticationMiddleware(lambda r: None).process_request(requete)
    SecondFacteurDuCompte(lambda r: None)(requete)
    return requete.user._wrapped if requete.user.is_authenticated else requete.user
