"""Sign-in lockout on both sign-in pages (django-axes), and the limits of the forms that send e-mail."""

import html

import pytest
from django.core import mail
from django.urls import reverse

from candidatures.models import Candidature
from mentorat.limites import Limite, adresse_client
from mentorat.models import Action, EntreeJournal, Utilisateur
from tests.candidatures.conftest import donnees_mentore
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db

PAGES_DE_CONNEXION = [reverse("login"), reverse("admin:login")]
BLOQUE = "Trop de tentatives de connexion ont échoué pour cette adresse électronique ou depuis votre connexion"


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def essayer(client, page: str, email: str, mot_de_passe: str, adresse: str = "192.0.2.10"):
    return client.post(page, {"username": email, "password": mot_de_passe}, REMOTE_ADDR=adresse)


@pytest.mark.parametrize("page", PAGES_DE_CONNEXION)
def test_le_compte_est_bloque_apres_les_echecs_meme_avec_le_bon_mot_de_passe(client, pilote, settings, page):
    settings.AXES_FAILURE_LIMIT = 3
    for _essai in range(2):
        assert essayer(client, page, pilote.email, "mauvais").status_code == 200

    troisieme = essayer(client, page, pilote.email, "mauvais")
    bon = essayer(client, page, pilote.email.upper(), MOT_DE_PASSE, adresse="198.51.100.7")  # another address

    assert troisieme.status_code == 429
    assert (bon.status_code, BLOQUE in texte(bon)) == (429, True)
    assert "_auth_user_id" not in client.session
    assert EntreeJournal.objects.filter(action=Action.CONNEXION_ECHOUEE, par=pilote).count() == 4
    assert EntreeJournal.objects.filter(action=Action.CONNEXION_BLOQUEE, par=pilote).exists()


@pytest.mark.parametrize("page", PAGES_DE_CONNEXION)
def test_l_adresse_est_bloquee_quel_que_soit_le_compte_essaye(client, settings, page):
    settings.AXES_FAILURE_LIMIT = 3
    victime = UtilisateurFactory()
    for rang in range(3):
        essayer(client, page, f"essai{rang}@exemple.fr", "mauvais")

    reponse = essayer(client, page, victime.email, MOT_DE_PASSE)

    assert reponse.status_code == 429
    assert "_auth_user_id" not in client.session


def test_le_blocage_ne_dit_pas_si_le_compte_existe(client, settings, pilote):
    settings.AXES_FAILURE_LIMIT = 2
    pages = {}
    for email, adresse in ((pilote.email, "192.0.2.1"), ("personne@exemple.fr", "192.0.2.2")):
        for _essai in range(3):
            pages[email] = essayer(client, reverse("login"), email, "mauvais", adresse=adresse)

    existe, inconnu = (texte(pages[e]).replace(e, "") for e in (pilote.email, "personne@exemple.fr"))
    assert existe.split("<main")[1].split("</main>")[0] == inconnu.split("<main")[1].split("</main>")[0]


def test_une_connexion_reussie_remet_le_compteur_a_zero(client, settings, utilisateur):
    settings.AXES_FAILURE_LIMIT = 3
    essayer(client, reverse("login"), utilisateur.email, "mauvais")
    essayer(client, reverse("login"), utilisateur.email, "mauvais")
    assert essayer(client, reverse("login"), utilisateur.email, MOT_DE_PASSE).status_code == 302
    client.logout()

    essayer(client, reverse("login"), utilisateur.email, "mauvais")
    essayer(client, reverse("login"), utilisateur.email, "mauvais")

    assert essayer(client, reverse("login"), utilisateur.email, MOT_DE_PASSE).status_code == 302


def test_derriere_le_proxy_l_adresse_est_celle_qu_il_a_vue(rf, settings):
    settings.PROXYS_DE_CONFIANCE = 1
    requete = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5", REMOTE_ADDR="172.18.0.2")

    # The leftmost entry is whatever the client sent; the proxy appended the address it saw.
    assert adresse_client(requete) == "203.0.113.5"
    settings.PROXYS_DE_CONFIANCE = 0
    assert adresse_client(requete) == "172.18.0.2"


@pytest.mark.parametrize(
    ("texte_limite", "attendu"), [("3/h", Limite(3, 3600)), ("20/j", Limite(20, 86400)), ("5/15m", Limite(5, 900))]
)
def test_les_limites_se_lisent(texte_limite, attendu):
    assert Limite.depuis(texte_limite) == attendu


def test_une_limite_illisible_est_dite():
    with pytest.raises(Exception, match="Limite illisible"):
        Limite.depuis("trois par heure")


def test_la_reinitialisation_est_limitee_par_adresse(client, utilisateur, settings):
    settings.LIMITE_PAR_ADRESSE = "3/h"
    reponses = [
        client.post(reverse("password_reset"), {"email": utilisateur.email}, REMOTE_ADDR=f"192.0.2.{n}")
        for n in range(5)
    ]

    assert [r.status_code for r in reponses] == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    assert "réessayez plus tard" in texte(reponses[3])
    assert utilisateur.email in texte(reponses[3])  # what was typed stays in the form


def test_la_reinitialisation_est_limitee_par_client(client, settings):
    settings.LIMITE_PAR_CLIENT = "4/h"
    comptes = UtilisateurFactory.create_batch(6)

    statuts = [client.post(reverse("password_reset"), {"email": c.email}).status_code for c in comptes]

    assert statuts == [302, 302, 302, 302, 429, 429]
    assert len(mail.outbox) == 4


def test_une_adresse_sans_compte_compte_de_meme(client, settings):
    settings.LIMITE_PAR_ADRESSE = "1/h"

    statuts = [client.post(reverse("password_reset"), {"email": "personne@exemple.fr"}).status_code for _n in range(2)]

    assert statuts == [302, 429]  # the same answers as for an address with an account


def test_le_renvoi_de_la_confirmation_est_limite(client, settings, django_capture_on_commit_callbacks):
    settings.LIMITE_PAR_ADRESSE = "2/h"
    candidat = UtilisateurFactory(email_confirme=False)
    client.force_login(candidat)

    with django_capture_on_commit_callbacks(execute=True):
        reponses = [client.post(reverse("candidatures:renvoyer_confirmation"), follow=True) for _n in range(4)]

    assert len(mail.outbox) == 2
    assert "réessayez plus tard" in texte(reponses[2])


def test_le_formulaire_de_candidature_est_limite_par_client(
    client, promotion, settings, django_capture_on_commit_callbacks
):
    settings.LIMITE_PAR_CLIENT = "2/h"
    statuts = []
    for rang in range(3):
        client.logout()
        donnees = donnees_mentore(promotion, email=f"candidate{rang}@exemple.fr")
        with django_capture_on_commit_callbacks(execute=True):
            statuts.append(client.post(reverse("candidatures:candidater_mentore"), donnees).status_code)

    assert statuts == [302, 302, 429]
    assert Candidature.objects.count() == 2
    assert not Utilisateur.objects.filter(email="candidate2@exemple.fr").exists()
    assert len(mail.outbox) == 2
