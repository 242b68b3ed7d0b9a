"""The committee's second factor: enrolment at the first sign-in, the code afterwards, recovery codes, and a
committee session that ends sooner than a candidate's."""

import html
import re
import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mentorat.middleware import CLE_ACTIVITE
from mentorat.models import Action, EntreeJournal
from mentorat.second_facteur import codes_restants
from tests.factories import MOT_DE_PASSE, AppareilTotpFactory, BinomeFactory, code_totp

pytestmark = pytest.mark.django_db


def connexion_par_mot_de_passe(client, utilisateur, suite="/admin/"):
    return client.post(
        f"{reverse('login')}?next={suite}", {"username": utilisateur.email, "password": MOT_DE_PASSE}, follow=True
    )


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def code_de_la_page(page: str) -> str:
    trouve = re.search(r'id="cle-secrete">([A-Z2-7 ]+)<', page)
    assert trouve is not None
    cle = trouve[1].replace(" ", "")
    return f"{totp(b32decode(cle)):06d}"


def test_la_premiere_connexion_d_un_ingenieur_mene_a_l_activation(client, ingenieur):
    reponse = connexion_par_mot_de_passe(client, ingenieur)

    assert reponse.redirect_chain[-1][0] == f"{reverse('activer_second_facteur')}?next=/admin/"
    page = reponse.content.decode()
    assert "<svg" in page and "Code QR à scanner" in page
    assert client.get("/admin/").status_code == 302


def test_activer_puis_les_codes_de_secours_ouvrent_l_administration(client, ingenieur):
    page = connexion_par_mot_de_passe(client, ingenieur).content.decode()

    refuse = client.post(reverse("activer_second_facteur"), {"code": "000000", "next": "/admin/"})
    time.sleep(1.1)  # after a wrong code, django-otp checks the next one no sooner than a second later
    accepte = client.post(reverse("activer_second_facteur"), {"code": code_de_la_page(page), "next": "/admin/"})

    assert "Ce code n'est pas valable" in texte(refuse)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", accepte.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get(user=ingenieur).confirmed
    assert EntreeJournal.objects.filter(action=Action.SECOND_FACTEUR_ACTIVE, par=ingenieur).count() == 1


@pytest.mark.parametrize("page", ["/admin/", "/suivi/", "/admin/candidatures/candidature/", "/"])
def test_sans_le_code_le_mot_de_passe_n_ouvre_rien(client, ingenieur, page):
    AppareilTotpFactory(user=ingenieur)
    client.login(email=ingenieur.email, password=MOT_DE_PASSE, second_facteur=False)

    reponse = client.get(page)

    assert reponse.status_code == 302
    assert reponse["Location"] == f"{reverse('second_facteur')}?next={page}"


def test_le_code_de_l_application_ouvre_la_session(client, ingenieur):
    appareil = AppareilTotpFactory(user=ingenieur)
    client.login(email=ingenieur.email, password=MOT_DE_PASSE, second_facteur=False)

    reponse = client.post(reverse("second_facteur"), {"code": code_totp(appareil), "next": "/suivi/"})

    assert reponse["Location"] == "/suivi/"
    assert client.get("/suivi/").status_code == 200


def test_un_code_faux_est_refuse_et_journalise(client, ingenieur):
    AppareilTotpFactory(user=ingenieur)
    client.login(email=ingenieur.email, password=MOT_DE_PASSE, second_facteur=False)

    reponse = client.post(reverse("second_facteur"), {"code": "123 456"})
    encore = client.post(reverse("second_facteur"), {"code": "654321"})

    assert "Ce code n'est pas valable" in texte(reponse)
    assert "patientez quelques secondes" in texte(encore)  # django-otp's growing delay
    assert client.get("/admin/").status_code == 302
    assert EntreeJournal.objects.filter(action=Action.SECOND_FACTEUR_REFUSE, par=ingenieur).count() == 1


def test_un_code_de_secours_sert_une_fois(client, ingenieur):
    client.force_login(ingenieur)
    codes = re.findall(r"<code>([a-z2-7]{8})</code>", client.post(reverse("codes_de_secours")).content.decode())
    client.logout()
    client.login(email=ingenieur.email, password=MOT_DE_PASSE, second_facteur=False)

    premier = client.post(reverse("second_facteur"), {"code": codes[0].upper()})
    client.logout()
    client.login(email=ingenieur.email, password=MOT_DE_PASSE, second_facteur=False)
    rejoue = client.post(reverse("second_facteur"), {"code": codes[0]})

    assert premier.status_code == 302
    assert "Ce code n'est pas valable" in texte(rejoue)
    entree = EntreeJournal.objects.get(action=Action.CODE_DE_SECOURS_UTILISE)
    assert entree.details == {"restants": 9}
    assert codes_restants(ingenieur) == 9


def test_sans_le_code_on_ne_remplace_pas_l_application(client, ingenieur):
    AppareilTotpFactory(user=ingenieur)
    client.login(email=ingenieur.email, password=MOT_DE_PASSE, second_facteur=False)

    reponse = client.get(reverse("activer_second_facteur"))

    assert reponse["Location"].startswith(reverse("second_facteur"))
    assert TOTPDevice.objects.filter(user=ingenieur).count() == 1


def test_changer_d_application_remplace_l_ancienne(client, ingenieur):
    client.force_login(ingenieur)
    ancien = TOTPDevice.objects.get(user=ingenieur)
    page = client.get(reverse("activer_second_facteur")).content.decode()

    client.post(reverse("activer_second_facteur"), {"code": code_de_la_page(page)})

    assert list(TOTPDevice.objects.filter(user=ingenieur).values_list("confirmed", flat=True)) == [True]
    assert not TOTPDevice.objects.filter(pk=ancien.pk).exists()
    assert client.get("/admin/").status_code == 200  # the session follows the new application


def test_les_candidats_n_ont_pas_de_second_facteur(client, candidat):
    client.login(email=candidat.utilisateur.email, password=MOT_DE_PASSE)

    assert client.get(reverse("candidatures:mon_espace")).status_code == 200
    assert client.get(reverse("second_facteur")).status_code == 404
    assert client.get(reverse("activer_second_facteur")).status_code == 404


def test_la_session_du_comite_finit_avec_le_navigateur_et_l_inactivite(client, ingenieur, settings):
    settings.COMITE_SESSION_INACTIVITE = 2 * 60 * 60
    client.force_login(ingenieur)
    assert client.session.get_expire_at_browser_close()
    session = client.session
    session[CLE_ACTIVITE] = int(time.time()) - 2 * 60 * 60 - 1
    session.save()

    reponse = client.get(reverse("candidatures:mon_espace"), follow=True)

    assert "période d'inactivité" in texte(reponse)
    assert "_auth_user_id" not in client.session


def test_la_session_d_un_membre_de_binome_garde_sa_duree(client):
    membre = BinomeFactory().mentor.utilisateur
    client.login(email=membre.email, password=MOT_DE_PASSE)

    assert not client.session.get_expire_at_browser_close()
    assert client.get(reverse("binomes:espace")).status_code == 200
