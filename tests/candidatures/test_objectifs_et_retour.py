"""A mentee's objectives in the application, and a mentor of a past promotion applying again from their answers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures import objectifs
from candidatures.models import Candidature, Statut
from tests.factories import MentorFactory, PromotionFactory, ThemeFactory

from .conftest import donnees_mentor, donnees_mentore

pytestmark = pytest.mark.django_db

URL_MENTORE = reverse("candidatures:candidater_mentore")
URL_MENTOR = reverse("candidatures:candidater_mentor")
URL_A_NOUVEAU = reverse("candidatures:candidater_a_nouveau")


def test_normaliser_range_les_espaces_et_oublie_les_lignes_vides_et_doublons():
    assert objectifs.normaliser(["  Piloter   un budget ", "", None, "Piloter un budget", "Négocier"]) == [
        "Piloter un budget",
        "Négocier",
    ]


def test_la_mentoree_donne_ses_objectifs_en_candidatant(client, promotion):
    donnees = donnees_mentore(promotion, objectif_1="Asseoir ma légitimité", objectif_3="  Conduire  un projet ")

    reponse = client.post(URL_MENTORE, donnees)

    assert reponse.status_code == 302
    assert Candidature.objects.get().objectifs == ["Asseoir ma légitimité", "Conduire un projet"]


def test_formulaire_mentore_annonce_la_limite_et_la_confidentialite(client, promotion):
    contenu = client.get(URL_MENTORE).content.decode()

    assert "Vos objectifs" in contenu
    assert "aucune situation confidentielle" in contenu
    assert 'maxlength="80"' in contenu


def test_objectif_trop_long_refuse_en_francais_et_saisie_gardee(client, promotion):
    trop_long = "Un objectif beaucoup trop long" * 3

    reponse = client.post(URL_MENTORE, donnees_mentore(promotion, objectif_1=trop_long, motivation="Garder ceci."))

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Un objectif tient en 80 caractères au plus (90 saisis)." in contenu
    assert "Garder ceci." in contenu
    assert "Un objectif beaucoup trop long" in contenu
    assert not Candidature.objects.exists()


def test_le_formulaire_mentor_ne_demande_pas_d_objectifs(client, promotion):
    assert "objectif_1" not in client.get(URL_MENTOR).content.decode()


def test_modifier_sa_candidature_reprend_et_change_ses_objectifs(client, promotion):
    client.post(URL_MENTORE, donnees_mentore(promotion, objectif_1="Premier"))
    candidature = Candidature.objects.get()
    url = reverse("candidatures:modifier", args=[candidature.pk])

    assert 'value="Premier"' in client.get(url).content.decode()
    client.post(url, donnees_mentore(promotion, objectif_1="", objectif_2="Second"))

    candidature.refresh_from_db()
    assert candidature.objectifs == ["Second"]


def test_mon_espace_montre_mes_objectifs(client, promotion):
    client.post(URL_MENTORE, donnees_mentore(promotion, objectif_1="Mon objectif à moi"))

    assert "Mon objectif à moi" in client.get(reverse("candidatures:mon_espace")).content.decode()


# Returning mentors.


@pytest.fixture
def ancienne_promotion(db):
    lancement = timezone.localdate() - datetime.timedelta(days=400)
    return PromotionFactory(
        est_courante=False,
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=500),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=450),
        journee_lancement=lancement,
    )


@pytest.fixture
def ancien_mentor(ancienne_promotion):
    theme, retire = ThemeFactory(nom="Retour : gouvernance"), ThemeFactory(nom="Retour : thème retiré")
    candidature = MentorFactory(
        promotion=ancienne_promotion,
        statut=Statut.RETENUE,
        fonction="Directeur général adjoint",
        etablissement="CHU de Poitiers",
        motivation="Transmettre ce que j'ai appris.",
        themes=[theme, retire],
    )
    retire.actif = False
    retire.save()
    return candidature


def test_un_ancien_mentor_se_voit_proposer_de_candidater_a_nouveau(client, promotion, ancien_mentor):
    client.force_login(ancien_mentor.utilisateur)

    for url in (URL_MENTOR, reverse("candidatures:mon_espace")):
        contenu = client.get(url).content.decode()
        assert "Candidater à nouveau" in contenu
        assert URL_A_NOUVEAU in contenu


def test_le_formulaire_est_pre_rempli_sauf_charte_et_consentement(client, promotion, ancien_mentor):
    client.force_login(ancien_mentor.utilisateur)

    reponse = client.get(URL_A_NOUVEAU)

    assert reponse.status_code == 200
    form = reponse.context["form"]
    assert form.initial["fonction"] == "Directeur général adjoint"
    assert form.initial["etablissement"] == "CHU de Poitiers"
    assert form.initial["postes_direction"] == 3
    assert form.initial["themes"] == [t.pk for t in ancien_mentor.themes.filter(actif=True)]
    assert "charte_acceptee" not in form.initial and "consentement_donnees" not in form.initial
    contenu = reponse.content.decode()
    assert f"Vos réponses de la promotion {ancien_mentor.promotion.nom} sont reprises" in contenu
    assert "ne remplissent plus les règles" not in contenu


def test_les_regles_de_la_nouvelle_promotion_sont_verifiees_a_nouveau(client, ancien_mentor):
    PromotionFactory(mentor_postes_distincts=4)  # the new promotion asks four posts; the mentor declared three
    client.force_login(ancien_mentor.utilisateur)

    contenu = client.get(URL_A_NOUVEAU).content.decode()

    assert "ne remplissent plus les règles de cette promotion" in contenu
    reponse = client.post(URL_A_NOUVEAU, donnees_mentor(ancien_mentor.promotion, postes_direction="3"))
    assert reponse.status_code == 200
    assert "postes de direction distincts" in reponse.content.decode()
    assert Candidature.objects.count() == 1


def test_candidater_a_nouveau_en_une_etape(client, promotion, ancien_mentor):
    client.force_login(ancien_mentor.utilisateur)
    donnees = donnees_mentor(promotion, fonction="Directeur général")

    reponse = client.post(URL_A_NOUVEAU, donnees)

    assert reponse.status_code == 302
    nouvelle = Candidature.objects.get(promotion=promotion)
    assert (nouvelle.utilisateur, nouvelle.role, nouvelle.statut) == (ancien_mentor.utilisateur, "mentor", "soumise")
    assert client.get(URL_A_NOUVEAU).status_code == 302  # applied already: sent to their application


def test_sans_candidature_de_mentor_passee_retour_au_formulaire(client, promotion, utilisateur):
    client.force_login(utilisateur)

    reponse = client.get(URL_A_NOUVEAU)

    assert reponse["Location"] == URL_MENTOR


def test_une_candidature_de_mentor_non_retenue_ne_se_reprend_pas(client, promotion, ancienne_promotion):
    candidature = MentorFactory(promotion=ancienne_promotion, statut=Statut.NON_RETENUE)
    client.force_login(candidature.utilisateur)

    assert client.get(URL_A_NOUVEAU)["Location"] == URL_MENTOR
    assert "Candidater à nouveau" not in client.get(URL_MENTOR).content.decode()
