"""Sign-in with ProConnect against a real OpenID provider process on loopback (tests/oidc.py): discovery, the
authorization code with PKCE, state and nonce, signatures checked against the provider's JWKS, accounts matched by
verified e-mail, the provider's second factor, and the logout at the provider."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from mentorat.models import Action, EntreeJournal
from tests.factories import IngenieurFactory, UtilisateurFactory
from tests.oidc import CLIENT_ID, CLIENT_SECRET, fournisseur_oidc

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fournisseur():
    with fournisseur_oidc(
        redirection="http://testserver/compte/proconnect/retour/", apres_deconnexion="http://testserver/"
    ) as fournisseur:
        yield fournisseur


@pytest.fixture
def proconnect(fournisseur, settings):
    settings.PROCONNECT_URL = fournisseur.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    return fournisseur


def se_connecter(client, fournisseur, login: str, suite: str = ""):
    """The button, the provider's sign-in page, then back to the service: the callback's response."""
    depart = client.get(reverse("proconnect_connexion"), {"next": suite} if suite else {})
    assert depart.status_code == 302
    return client.get(fournisseur.s_identifier(requests.Session(), depart["Location"], login))


def connecte(client):
    return client.session.get(SESSION_KEY)


def message(reponse) -> str:
    return " ".join(str(m) for m in reponse.wsgi_request._messages)


def test_le_bouton_n_apparait_que_si_proconnect_est_configure(client, proconnect, settings):
    assert "S’identifier avec" in client.get(reverse("login")).content.decode()

    settings.PROCONNECT_URL = ""

    assert "S’identifier avec" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("proconnect_connexion")).status_code == 404


def test_la_demande_suit_la_decouverte_avec_pkce_state_et_nonce(client, proconnect):
    reponse = client.get(reverse("proconnect_connexion"))

    url = urlsplit(reponse["Location"])
    parametres = {cle: valeurs[0] for cle, valeurs in parse_qs(url.query).items()}
    decouverte = requests.get(f"{proconnect.issuer}/.well-known/openid-configuration", timeout=5).json()
    assert f"{url.scheme}://{url.netloc}{url.path}" == decouverte["authorization_endpoint"]
    assert parametres["response_type"] == "code"
    assert parametres["client_id"] == CLIENT_ID
    assert parametres["code_challenge_method"] == "S256"
    assert len(parametres["code_challenge"]) == 43
    etat = client.session["oidc_states"][parametres["state"]]
    assert etat["nonce"] == parametres["nonce"]
    assert len(etat["code_verifier"]) >= 43
    assert '"acr"' in parametres["claims"]


def test_un_ingenieur_se_connecte_puis_doit_donner_son_code(client, proconnect):
    ingenieur = IngenieurFactory(email="ingrid.ingenieure@exemple.fr")
    proconnect.declarer_compte("Ingrid.Ingenieure@exemple.fr", acr="eidas1", amr=["pwd"])

    reponse = se_connecter(client, proconnect, "Ingrid.Ingenieure@exemple.fr", suite="/admin/")

    assert connecte(client) == str(ingenieur.pk)
    assert reponse["Location"] == "/admin/"
    # ProConnect's password alone is not a second factor: the admin waits for the application's code.
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse("activer_second_facteur"))
    entree = EntreeJournal.objects.get(action=Action.CONNEXION)
    assert (entree.par, entree.details) == (ingenieur, {"methode": "proconnect"})


def test_le_second_facteur_du_fournisseur_ouvre_l_administration(client, proconnect):
    IngenieurFactory(email="ingrid.ingenieure@exemple.fr")
    acr = "https://proconnect.gouv.fr/assurance/self-asserted-2fa"
    proconnect.declarer_compte("ingrid.ingenieure@exemple.fr", acr=acr, amr=["pwd", "totp"])

    se_connecter(client, proconnect, "ingrid.ingenieure@exemple.fr")

    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("suivi:tableau_de_bord")).status_code == 200


def test_un_jeton_a_la_signature_invalide_est_refuse(client, proconnect):
    IngenieurFactory(email="ingrid.ingenieure@exemple.fr")
    proconnect.alterer_prochain_jeton("signature")

    reponse = se_connecter(client, proconnect, "ingrid.ingenieure@exemple.fr")

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("login")
    assert connecte(client) is None
    assert "n'a pas pu être vérifiée" in message(reponse)


@pytest.mark.parametrize("alteration", ["nonce", "emetteur", "audience"])
def test_un_jeton_bien_signe_mais_pas_pour_cette_connexion_est_refuse(client, proconnect, alteration):
    IngenieurFactory(email="ingrid.ingenieure@exemple.fr")
    proconnect.alterer_prochain_jeton(alteration)

    reponse = se_connecter(client, proconnect, "ingrid.ingenieure@exemple.fr")

    assert reponse["Location"] == reverse("login")
    assert connecte(client) is None


def test_un_retour_rejoue_est_refuse(client, proconnect):
    UtilisateurFactory(email="camille.candidat@exemple.fr")
    depart = client.get(reverse("proconnect_connexion"))
    retour = proconnect.s_identifier(requests.Session(), depart["Location"], "camille.candidat@exemple.fr")
    client.get(retour)
    client.logout()

    # The same code and state again: the state was used, the code too.
    reponse = client.get(retour)

    assert reponse["Location"] == reverse("login")
    assert connecte(client) is None


def test_une_adresse_non_verifiee_ne_connecte_pas(client, proconnect):
    IngenieurFactory(email="ingrid.ingenieure@exemple.fr")
    proconnect.declarer_compte("ingrid.ingenieure@exemple.fr", email_verified=False)

    reponse = se_connecter(client, proconnect, "ingrid.ingenieure@exemple.fr")

    assert connecte(client) is None
    assert "adresse électronique vérifiée" in message(reponse)


def test_une_identite_sans_compte_ne_cree_rien(client, proconnect, django_user_model):
    reponse = se_connecter(client, proconnect, "inconnue@exemple.fr")

    assert connecte(client) is None
    assert not django_user_model.objects.filter(email="inconnue@exemple.fr").exists()
    assert "Aucun compte actif de Mentorat n'est ouvert à l'adresse inconnue@exemple.fr" in message(reponse)


def test_un_compte_desactive_ne_se_connecte_pas(client, proconnect):
    UtilisateurFactory(email="camille.candidat@exemple.fr", is_active=False)

    se_connecter(client, proconnect, "camille.candidat@exemple.fr")

    assert connecte(client) is None


def test_la_deconnexion_se_fait_aussi_chez_le_fournisseur(client, proconnect):
    UtilisateurFactory(email="camille.candidat@exemple.fr")
    navigateur = requests.Session()  # the person's browser at the provider keeps its session cookie
    depart = client.get(reverse("proconnect_connexion"))
    client.get(proconnect.s_identifier(navigateur, depart["Location"], "camille.candidat@exemple.fr"))

    sortie = client.post(reverse("logout"))

    assert connecte(client) is None
    fin = urlsplit(sortie["Location"])
    assert parse_qs(fin.query)["post_logout_redirect_uri"] == ["http://testserver/"]
    assert "id_token_hint" in parse_qs(fin.query)
    assert proconnect.confirmer_deconnexion(navigateur, sortie["Location"]).startswith("http://testserver/?state=")
    # The provider's own session has ended: a new sign-in asks for the identity again.
    nouveau_depart = client.get(reverse("proconnect_connexion"))
    page = navigateur.get(nouveau_depart["Location"], timeout=5)
    assert "/interaction/" in page.url


def test_une_session_par_mot_de_passe_se_deconnecte_ici_seulement(client, proconnect):
    utilisateur = UtilisateurFactory()
    client.force_login(utilisateur)

    sortie = client.post(reverse("logout"))

    assert sortie["Location"] == reverse("accueil")


def test_le_fournisseur_injoignable_est_dit_en_francais(client, settings):
    settings.PROCONNECT_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET

    reponse = client.get(reverse("proconnect_connexion"))

    assert reponse["Location"] == reverse("login")
    assert "momentanément indisponible" in message(reponse)
