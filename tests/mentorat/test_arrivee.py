"""After signing in, each person lands where their work is (`LOGIN_REDIRECT_URL` is the landing view)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binomes.models import StatutBinome
from mentorat.rules import compte_du_comite
from tests.factories import (
    MOT_DE_PASSE,
    AppareilTotpFactory,
    BinomeFactory,
    CandidatureFactory,
    PromotionFactory,
    UtilisateurFactory,
    code_totp,
)

pytestmark = pytest.mark.django_db


def _se_connecter(client, utilisateur):
    """The password, then, for a committee account, the code of its authenticator application."""
    appareil = AppareilTotpFactory.confirme_pour(utilisateur) if compte_du_comite(utilisateur) else None
    reponse = client.post(reverse("login"), {"username": utilisateur.email, "password": MOT_DE_PASSE}, follow=True)
    if appareil is not None:
        page_du_code = reponse.redirect_chain[-1][0]
        assert page_du_code.startswith(reverse("second_facteur"))
        reponse = client.post(page_du_code, {"code": code_totp(appareil)}, follow=True)
    return reponse


def _annee_en_cours():
    lancement = timezone.localdate() - datetime.timedelta(days=60)
    return PromotionFactory(
        est_courante=False,
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=200),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=150),
        journee_lancement=lancement,
    )


def test_l_ingenieur_arrive_sur_le_suivi_quand_une_annee_court(client, ingenieur):
    BinomeFactory(promotion=_annee_en_cours(), referent=ingenieur)

    reponse = _se_connecter(client, ingenieur)

    assert reponse.redirect_chain[-1][0] == reverse("suivi:tableau_de_bord")


def test_l_ingenieur_arrive_sur_le_tableau_de_bord_du_programme_hors_annee(client, ingenieur, promotion):
    reponse = _se_connecter(client, ingenieur)

    assert reponse.redirect_chain[-1][0] == reverse("admin:index")


def test_le_pilote_arrive_sur_le_tableau_de_bord_du_programme(client, pilote):
    BinomeFactory(promotion=_annee_en_cours())

    reponse = _se_connecter(client, pilote)

    assert reponse.redirect_chain[-1][0] == reverse("admin:index")
    assert "Tableau de bord du programme" in reponse.content.decode()


def test_un_membre_de_binome_arrive_dans_l_espace_du_binome(client, mentore):
    reponse = _se_connecter(client, mentore)

    assert reponse.redirect_chain[-1][0] == reverse("binomes:espace")


def test_une_candidate_arrive_sur_sa_candidature(client, candidat):
    reponse = _se_connecter(client, candidat.utilisateur)

    assert reponse.redirect_chain[-1][0] == reverse("candidatures:mon_espace")


def test_un_ancien_membre_qui_candidate_de_nouveau_arrive_sur_sa_candidature(client, binome, mentor):
    binome.statut = StatutBinome.TERMINE
    binome.save()
    nouvelle = PromotionFactory(est_courante=False, nom="Suivante")
    CandidatureFactory(promotion=nouvelle, utilisateur=mentor)

    reponse = _se_connecter(client, mentor)

    assert reponse.redirect_chain[-1][0] == reverse("candidatures:mon_espace")


def test_une_personne_sans_rien_arrive_sur_l_accueil(client):
    reponse = _se_connecter(client, UtilisateurFactory())

    assert reponse.redirect_chain[-1][0] == reverse("accueil")


def test_une_adresse_de_retour_sure_l_emporte(client, pilote):
    reponse = client.post(
        reverse("login") + "?next=/suivi/", {"username": pilote.email, "password": MOT_DE_PASSE, "next": "/suivi/"}
    )

    assert reponse["Location"] == "/suivi/"


def test_la_page_d_accueil_met_je_candidate_en_tete(client, promotion):
    page = client.get(reverse("accueil")).content.decode()

    # Before the first second-level heading: in the first screen, on a phone as on a desktop.
    assert page.index("Je candidate comme mentoré·e") < page.index("<h2")
