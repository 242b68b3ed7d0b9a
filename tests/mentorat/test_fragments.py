"""Public fragments in Django's cache (mentorat.fragments): the same for every visitor, never one person's data.

The tests' cache is the real local-memory one (emptied before each test): every request below after the first
reads the cached fragment."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentorat import fragments
from mentorat.models import Promotion
from tests.candidatures.conftest import donnees_mentore
from tests.factories import BinomeFactory, PromotionFactory, ThemeFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


def _jeton(html: str) -> str:
    trouve = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert trouve is not None
    return trouve.group(1)


def test_l_accueil_en_cache_garde_a_chacun_son_entete(promotion):
    binome = BinomeFactory(promotion=promotion)
    personnes = {"mentore": binome.mentore.utilisateur, "mentor": binome.mentor.utilisateur}
    pages = {"anonyme": Client().get(reverse("accueil")).content.decode()}
    for nom, personne in personnes.items():
        client = Client()
        client.force_login(personne)
        pages[nom] = client.get(reverse("accueil")).content.decode()

    assert "Se connecter" in pages["anonyme"]
    for nom, personne in personnes.items():
        autre = personnes["mentor" if nom == "mentore" else "mentore"]
        assert personne.get_full_name() in pages[nom]
        assert autre.get_full_name() not in pages[nom]
        assert "Se connecter" not in pages[nom]
        assert personne.get_full_name() not in pages["anonyme"]
    # The content itself is the same fragment for all three.
    for page in pages.values():
        assert f"Calendrier de la promotion {promotion.nom}" in page


def test_un_changement_de_la_promotion_enregistre_se_voit_aussitot(client, promotion):
    client.get(reverse("accueil"))

    promotion.lieu_lancement = "Clermont-Ferrand"
    promotion.save()  # as the admin does

    assert "Journée de lancement (Clermont-Ferrand)" in client.get(reverse("accueil")).content.decode()


def test_un_changement_de_la_promotion_sans_signal_se_voit_apres_la_duree_des_fragments(client, promotion):
    client.get(reverse("accueil"))

    Promotion.objects.filter(pk=promotion.pk).update(lieu_lancement="Clermont-Ferrand")

    # `update()` sends no signal: the cached promotion is kept until its entry expires, no longer.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=fragments.DUREE + 1)):
        assert "Journée de lancement (Clermont-Ferrand)" in client.get(reverse("accueil")).content.decode()


@pytest.mark.parametrize("nom_url", ["accueil", "candidatures:candidater_mentore"])
def test_la_page_d_un_anonyme_vient_du_cache_sans_requete(promotion, nom_url, django_assert_num_queries):
    Client().get(reverse(nom_url))  # another visitor's visit fills the cache

    # Neither the session (no cookie), nor the current promotion (cached), nor the page (cached) is read.
    with django_assert_num_queries(0):
        reponse = Client().get(reverse(nom_url))

    assert reponse.status_code == 200
    assert promotion.nom in reponse.content.decode()


@pytest.mark.parametrize("nom_url", ["accueil", "candidatures:candidater_mentore"])
def test_la_page_d_un_anonyme_vient_du_cache_en_deux_lectures(promotion, nom_url, monkeypatch):
    """Two round trips to the cache (in production, to Redis): the version with the promotion, then the page. Each
    one costs more than the rest of the page's work."""
    Client().get(reverse(nom_url))
    lectures: list[str] = []
    cache = caches["default"]
    # Local memory's `get_many` calls `get` for each key (Redis's is one MGET): only the outer calls are counted.
    en_cours: list[str] = []

    def compter(methode: str, originale):
        def lire(*args, **kwargs):
            if not en_cours:
                lectures.append(methode)
            en_cours.append(methode)
            try:
                return originale(*args, **kwargs)
            finally:
                en_cours.pop()

        return lire

    for methode in ("get", "get_many"):
        monkeypatch.setattr(cache, methode, compter(methode, getattr(cache, methode)))

    reponse = Client().get(reverse(nom_url))

    assert reponse.status_code == 200
    assert promotion.nom in reponse.content.decode()
    assert lectures == ["get_many", "get"]


def test_une_nouvelle_promotion_courante_se_voit_aussitot(client):
    url = reverse("candidatures:candidater_mentore")
    assert "Aucune promotion n'est ouverte" in client.get(url).content.decode()

    nouvelle = PromotionFactory()

    page = client.get(url).content.decode()
    assert 'name="password1"' in page
    assert nouvelle.nom in page


def test_les_candidatures_ouvrent_a_leur_heure_avec_la_promotion_en_cache(client):
    ouverture = timezone.now() + datetime.timedelta(minutes=5)  # sooner than the cached promotion expires
    PromotionFactory(ouverture_candidatures=ouverture)
    url = reverse("candidatures:candidater_mentore")
    assert "ne sont pas encore ouvertes" in client.get(url).content.decode()

    with time_machine.travel(ouverture + datetime.timedelta(minutes=1)):
        page = client.get(url).content.decode()

    assert 'name="password1"' in page


def test_le_formulaire_en_cache_garde_a_chaque_visiteur_son_jeton_csrf(promotion, settings):
    url = reverse("candidatures:candidater_mentore")
    visiteurs = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    pages = [visiteur.get(url).content.decode() for visiteur in visiteurs]

    jetons = [_jeton(page) for page in pages]
    assert jetons[0] != jetons[1]
    assert all('name="password1"' in page for page in pages)  # the anonymous form creates the account
    # The second visitor's own token is accepted: its application is saved.
    reponse = visiteurs[1].post(url, {**donnees_mentore(promotion), "csrfmiddlewaretoken": jetons[1]})
    assert reponse.status_code == 302


def test_un_candidat_connecte_n_a_pas_le_formulaire_des_anonymes(client, promotion):
    Client().get(reverse("candidatures:candidater_mentore"))  # the anonymous fragment is cached
    ancien = UtilisateurFactory()  # an account of an earlier year, without an application this year
    client.force_login(ancien)

    page = client.get(reverse("candidatures:candidater_mentore")).content.decode()

    assert 'name="password1"' not in page
    assert ancien.get_full_name() in page


def test_un_nouveau_theme_apparait_dans_le_formulaire_en_cache(client, promotion):
    url = reverse("candidatures:candidater_mentore")
    client.get(url)

    ThemeFactory(nom="Transition écologique des établissements")

    assert "Transition écologique des établissements" in client.get(url).content.decode()


def test_la_page_entiere_en_cache_d_un_anonyme_garde_son_message(client, promotion):
    Client().get(reverse("accueil"))  # another visitor's page is cached
    session = client.session
    session["_messages"] = '[["__json_message",0,25,"Vous êtes déconnecté·e."]]'
    session.save()

    assert "Vous êtes déconnecté·e." in client.get(reverse("accueil")).content.decode()
    # Read once: the next page is the shared one, without it.
    assert "Vous êtes déconnecté·e." not in client.get(reverse("accueil")).content.decode()


def test_le_formulaire_en_cache_n_a_plus_le_jeton_du_premier_visiteur(promotion):
    url = reverse("candidatures:candidater_mentore")
    premier, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    jeton_du_premier = _jeton(premier.get(url).content.decode())

    page = second.get(url).content.decode()

    assert jeton_du_premier not in page
    assert "@@" not in page
    # The token written is the one the second visitor's cookie validates (the first's is refused for it).
    refus = second.post(url, {**donnees_mentore(promotion), "csrfmiddlewaretoken": jeton_du_premier})
    assert refus.status_code == 403


def test_les_lignes_des_rencontres_en_cache_portent_le_jeton_de_chacun(binome, mentor, mentore):
    """The meetings' rows are cached for the pair: each member's « marquer tenue » form holds their own token."""
    from suivi.models import EtatRencontre
    from tests.suivi.factories import RencontreFactory

    rencontre = RencontreFactory(
        binome=binome, date=timezone.localdate() - datetime.timedelta(days=2), etat=EtatRencontre.PREVUE
    )
    membres = {"mentor": Client(enforce_csrf_checks=True), "mentore": Client(enforce_csrf_checks=True)}
    membres["mentor"].force_login(mentor)
    membres["mentore"].force_login(mentore)
    pages = {nom: client.get(reverse("suivi:rencontres")).content.decode() for nom, client in membres.items()}

    jetons = {nom: re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for nom, page in pages.items()}
    assert "Marquer tenue la rencontre" in pages["mentor"] and "Marquer tenue la rencontre" in pages["mentore"]
    assert not set(jetons["mentor"]) & set(jetons["mentore"])
    assert "@@" not in pages["mentor"] + pages["mentore"]
    # The mentee's own token in the cached row is accepted.
    url = reverse("suivi:marquer_tenue", args=[rencontre.pk])
    assert membres["mentore"].post(url, {"csrfmiddlewaretoken": jetons["mentore"][0]}).status_code == 302
    rencontre.refresh_from_db()
    assert rencontre.etat == EtatRencontre.TENUE
    # The row changed: its new state is shown at once, not the cached one.
    assert "Marquer tenue la rencontre" not in membres["mentor"].get(reverse("suivi:rencontres")).content.decode()
