import datetime
import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentorat.models import GROUPE_INGENIEUR, GROUPE_PILOTE
from tests.factories import MOT_DE_PASSE, PromotionFactory


@pytest.mark.django_db
def test_accueil_affiche_le_calendrier_de_la_promotion_courante(client):
    PromotionFactory(
        nom="2024/2025",
        journee_lancement=datetime.date(2024, 4, 10),
        lieu_lancement="Paris",
        evenement_mi_parcours=datetime.date(2024, 10, 15),
        journee_bilan=datetime.date(2025, 3, 19),
        fin=datetime.date(2025, 3, 31),
    )

    page = client.get(reverse("accueil")).content.decode()

    assert "Calendrier de la promotion 2024/2025" in page
    assert "mercredi 10 avril 2024" in page
    assert "mardi 15 octobre 2024" in page
    assert "mercredi 19 mars 2025" in page
    assert "mentorat@cng.example.fr" in page


@pytest.mark.django_db
def test_accueil_candidatures_closes(client):
    cloture = timezone.make_aware(datetime.datetime(2024, 2, 9, 0, 0))
    PromotionFactory(ouverture_candidatures=cloture - datetime.timedelta(days=30), cloture_candidatures=cloture)

    page = client.get(reverse("accueil")).content.decode()

    assert "Les candidatures sont closes depuis le 9 février 2024" in page
    assert "Je candidate comme mentor" not in page


@pytest.mark.django_db
def test_accueil_candidatures_ouvertes(client, promotion):
    page = client.get(reverse("accueil")).content.decode()

    assert "Les candidatures sont ouvertes jusqu" in page
    assert "Je candidate comme mentor" in page


@pytest.mark.django_db
def test_accueil_sans_promotion(client):
    page = client.get(reverse("accueil")).content.decode()

    assert "Aucune promotion n'est en cours" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("nom", "titre"),
    [
        ("accessibilite", "Déclaration d'accessibilité"),
        ("mentions_legales", "Mentions légales"),
        ("donnees_personnelles", "Données personnelles"),
    ],
)
def test_pages_legales(client, nom, titre):
    reponse = client.get(reverse(nom))

    assert reponse.status_code == 200
    assert f"<h1>{titre}</h1>" in reponse.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_page_404_en_francais_dans_la_mise_en_page(client):
    reponse = client.get("/cette-page-n-existe-pas/")

    assert reponse.status_code == 404
    contenu = reponse.content.decode()
    assert "Page introuvable" in contenu
    assert "fr-header" in contenu


def test_page_500_en_francais():
    assert "Erreur inattendue" in render_to_string("500.html")


@pytest.mark.django_db
def test_healthz_sain(client):
    reponse = client.get(reverse("healthz"))

    assert reponse.status_code == 200
    assert reponse.json() == {
        "base": "ok",
        "broker": "eager",
        "statut": "ok",
        "courriels": {"plus_ancien_du": None, "retard_secondes": 0},
        # Every job of the beat's schedule, none run yet.
        "taches_periodiques": dict.fromkeys(settings.CELERY_BEAT_SCHEDULE),
    }


@pytest.mark.django_db
def test_healthz_avec_le_vrai_redis(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

    reponse = client.get(reverse("healthz"))

    assert reponse.status_code == 200
    assert reponse.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_broker_injoignable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    reponse = client.get(reverse("healthz"))

    assert reponse.status_code == 503
    assert reponse.json()["broker"] == "indisponible"


@pytest.mark.django_db
def test_connexion_mauvais_mot_de_passe_message_francais(client, ingenieur):
    reponse = client.post(reverse("login"), {"username": ingenieur.email, "password": "faux"})

    assert reponse.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in reponse.content.decode()


@pytest.mark.django_db
def test_connexion_insensible_a_la_casse_de_l_email(client, ingenieur):
    reponse = client.post(reverse("login"), {"username": ingenieur.email.upper(), "password": MOT_DE_PASSE})

    assert reponse.status_code == 302


@pytest.mark.django_db
def test_admin_en_francais_avec_le_titre_du_programme(client, pilote):
    client.force_login(pilote)

    contenu = client.get(reverse("admin:index")).content.decode()

    assert "Mentorat — espace du comité" in contenu
    assert "République<br>française" in contenu
    assert "<strong>Hélène Pilote</strong><br><span>Pilote du programme</span>" in contenu
    assert "<h1>Tableau de bord du programme" in contenu
    assert "Bienvenue" not in contenu


@pytest.mark.django_db
def test_admin_refuse_un_candidat(client, candidat):
    client.force_login(candidat.utilisateur)

    reponse = client.get(reverse("admin:index"))

    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_groupes_du_comite_crees_avec_leurs_permissions():
    ingenieurs = Group.objects.get(name=GROUPE_INGENIEUR)
    pilotes = Group.objects.get(name=GROUPE_PILOTE)

    assert ingenieurs.permissions.filter(codename="change_promotion").exists()
    assert ingenieurs.permissions.filter(codename="change_candidature").exists()
    assert not ingenieurs.permissions.filter(codename="change_utilisateur").exists()
    assert pilotes.permissions.filter(codename="change_utilisateur").exists()


@pytest.mark.django_db
def test_reinitialisation_du_mot_de_passe_envoie_un_courriel_francais(client, ingenieur, mailoutbox):
    reponse = client.post(reverse("password_reset"), {"email": ingenieur.email})

    assert reponse.status_code == 302
    assert [m.to for m in mailoutbox] == [[ingenieur.email]]
    assert mailoutbox[0].subject == "Mentorat CNG : choisir un nouveau mot de passe"
    assert "/compte/mot-de-passe/nouveau/" in mailoutbox[0].body


@pytest.mark.django_db
def test_deconnexion_par_post(client, ingenieur):
    client.force_login(ingenieur)

    client.post(reverse("logout"))

    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_chaque_page_publique_a_son_propre_titre(client):
    """Each page names itself in the browser tab (RGAA 8.6), so screen-reader users know where they are."""
    PromotionFactory()
    titres = {}
    for nom in ["accueil", "login", "password_reset", "accessibilite", "mentions_legales", "donnees_personnelles"]:
        page = client.get(reverse(nom)).content.decode()
        titres[nom] = page.split("<title>", 1)[1].split("</title>", 1)[0]
    introuvable = client.get("/cette-page-n-existe-pas/").content.decode()

    assert "<title>Page introuvable — " in introuvable
    assert titres["login"].startswith("Se connecter — ")
    assert titres["accueil"].startswith("Le programme — ")
    assert len(set(titres.values())) == len(titres)


@pytest.mark.django_db
def test_le_lien_de_reinitialisation_permet_de_choisir_un_nouveau_mot_de_passe(client, ingenieur, mailoutbox):
    client.post(reverse("password_reset"), {"email": ingenieur.email})
    lien = next(ligne for ligne in mailoutbox[0].body.splitlines() if "/compte/mot-de-passe/nouveau/" in ligne)
    formulaire = client.get(lien.split("testserver", 1)[1], follow=True)
    adresse = formulaire.redirect_chain[-1][0]

    trop_simple = client.post(adresse, {"new_password1": "12345678", "new_password2": "12345678"})
    client.post(adresse, {"new_password1": "Un-nouveau-secret-2026", "new_password2": "Un-nouveau-secret-2026"})

    assert "Ce mot de passe est trop court" in trop_simple.content.decode()
    assert client.login(username=ingenieur.email, password="Un-nouveau-secret-2026")
    assert not client.login(username=ingenieur.email, password=MOT_DE_PASSE)


@pytest.mark.django_db
def test_le_menu_depend_de_qui_est_connecte(client, promotion, ingenieur, pilote, mentore):
    def liens(utilisateur):
        client.force_login(utilisateur)
        page = client.get(reverse("accueil")).content.decode()
        menu = page.split('id="navigation-principale"', 1)[1].split("</nav>", 1)[0]
        return [nom for nom in MENU if f">{nom}<" in menu]

    MENU = ["Ma candidature", "Mon binôme", "Synthèses des évaluations", "Suivi des binômes", "Évaluation"]

    assert liens(mentore) == ["Ma candidature", "Mon binôme", "Synthèses des évaluations"]
    assert liens(ingenieur) == ["Suivi des binômes", "Évaluation"]
    assert liens(pilote) == ["Évaluation"]
