"""A pair member's pages kept in the cache: each sees their own pair, header and token, and every change at once."""

import datetime
import re

import pytest
import time_machine
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Invitation
from mentorat import pages_du_lecteur
from mentorat.models import Corps, EntreeJournal, Utilisateur
from tests.conftest import ClientDuComite
from tests.evaluation.factories import CampagneFactory
from tests.factories import MOT_DE_PASSE, promotion_dans_son_annee

pytestmark = pytest.mark.django_db

PAGES = [reverse("binomes:espace"), reverse("suivi:rencontres")]
JETON = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture
def promotion(db):
    return promotion_dans_son_annee()


def connecte(user, **kwargs) -> ClientDuComite:
    client = ClientDuComite(**kwargs)
    assert client.login(email=user.email, password=MOT_DE_PASSE)
    return client


@pytest.mark.parametrize("adresse", PAGES)
def test_deux_membres_de_binomes_differents_voient_chacun_le_leur(adresse, binome, mentor, intrus):
    page_du_mentor = connecte(mentor).get(adresse).content.decode()  # fills the cache

    contenu = connecte(intrus, enforce_csrf_checks=True).get(adresse).content.decode()

    assert intrus.get_full_name() in contenu
    assert mentor.get_full_name() not in contenu
    assert str(binome.mentore.utilisateur) not in contenu
    assert set(JETON.findall(contenu)).isdisjoint(JETON.findall(page_du_mentor))
    assert "@@" not in contenu


@pytest.mark.parametrize("adresse", PAGES)
def test_le_jeton_d_une_page_en_cache_est_celui_du_visiteur(adresse, binome, mentor, mentore):
    connecte(mentor).get(adresse)
    client = connecte(mentore, enforce_csrf_checks=True)
    client.get(adresse)  # the mentee's own page stored; the next one served from the cache

    contenu = client.get(adresse).content.decode()
    # The header's sign-out form, with the token written in for this visitor: accepted.
    reponse = client.post(reverse("logout"), {"csrfmiddlewaretoken": JETON.findall(contenu)[0]})

    assert mentore.get_full_name() in contenu
    assert reponse.status_code == 302
    assert client.get(adresse).status_code == 302  # signed out: sent to the sign-in page


def test_une_page_en_cache_ne_lit_que_le_compte_et_la_version(binome, mentore, django_assert_num_queries):
    client = connecte(mentore)
    client.get(reverse("suivi:rencontres"))

    # session, user with its groups (is it a committee account? `mentorat.middleware`; read in one query,
    # `mentorat.authentification`), the version of the tables the page shows
    with django_assert_num_queries(3):
        contenu = client.get(reverse("suivi:rencontres")).content.decode()

    assert mentore.get_full_name() in contenu
    assert "Tableau de suivi des rencontres" in contenu


def test_une_rencontre_notee_se_voit_aussitot_chez_les_deux_membres(binome, mentor, mentore):
    du_mentor, de_la_mentore = connecte(mentor), connecte(mentore)
    for client in (du_mentor, de_la_mentore):
        assert "Budget annexe" not in client.get(reverse("suivi:rencontres")).content.decode()
    il_y_a_3_jours = timezone.localdate() - datetime.timedelta(days=3)

    reponse = de_la_mentore.post(
        reverse("suivi:ajouter"),
        {"date": il_y_a_3_jours.isoformat(), "mode": "visio", "autre_theme": "Budget annexe"},
        follow=True,
    )

    assert "La rencontre est notée." in reponse.content.decode()
    assert "Budget annexe" in reponse.content.decode()
    assert "Budget annexe" in du_mentor.get(reverse("suivi:rencontres")).content.decode()
    assert "Budget annexe" in de_la_mentore.get(reverse("suivi:rencontres")).content.decode()


def test_la_charte_signee_se_voit_aussitot_dans_l_espace(binome, mentor):
    client = connecte(mentor)
    assert "Relire la charte que vous avez signée" not in client.get(reverse("binomes:espace")).content.decode()

    client.post(reverse("binomes:signer_charte", args=[binome.pk]), {"signe": "on"})

    assert "Relire la charte que vous avez signée" in client.get(reverse("binomes:espace")).content.decode()


def test_un_formulaire_en_erreur_n_est_pas_garde(binome, mentor):
    client = connecte(mentor)

    en_erreur = client.post(reverse("binomes:signer_charte", args=[binome.pk]), {}).content.decode()
    contenu = client.get(reverse("binomes:espace")).content.decode()

    assert "<title>Erreur" in en_erreur
    assert "<title>Erreur" not in contenu


def test_un_nom_change_se_voit_aussitot_dans_l_entete(binome, mentore):
    client = connecte(mentore)
    client.get(reverse("binomes:espace"))

    Utilisateur.objects.filter(pk=mentore.pk).update(prenom="Maëlle")
    contenu = client.get(reverse("binomes:espace")).content.decode()

    assert "Maëlle" in contenu


def test_un_questionnaire_s_ouvre_a_son_heure_dans_l_espace(binome, mentore, promotion):
    campagne = CampagneFactory(
        promotion=promotion,
        ouverture=timezone.now() + datetime.timedelta(minutes=5),
        fermeture=timezone.now() + datetime.timedelta(days=21),
    )
    Invitation.objects.create(campagne=campagne, utilisateur=mentore, role="mentore", corps=Corps.DH)
    client = connecte(mentore)
    assert "Répondre :" not in client.get(reverse("binomes:espace")).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        contenu = client.get(reverse("binomes:espace")).content.decode()

    assert "Répondre :" in contenu


def test_une_page_montrant_une_table_sans_version_est_rendue_a_chaque_fois(rf, mentore):
    # The journal has no version (`versions.SANS_VERSION`): a page showing it could not know when it changed.
    rendus = []

    def rendre() -> HttpResponse:
        rendus.append(1)
        return HttpResponse(f"rendu {len(rendus)}")

    pages = []
    for _fois in range(2):
        requete = rf.get("/espace/")
        requete.user, requete.session = mentore, {}
        requete._messages = FallbackStorage(requete)
        pages.append(pages_du_lecteur.servir_selon_les_tables(requete, [EntreeJournal], rendre).content)

    assert pages == [b"rendu 1", b"rendu 2"]
