"""The programme dashboard, the committee's home page: its figures, who sees what, and its constant cost."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature, Orientation, Statut
from tests.factories import BinomeFactory, CandidatureFactory, IngenieurFactory, PiloteFactory, PromotionFactory
from tests.suivi.factories import RencontreFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:index")


def _promotion_avec_son_annee(rang: int):
    lancement = timezone.localdate() - datetime.timedelta(days=100 + 365 * rang)
    promotion = PromotionFactory.create(
        est_courante=False,
        nom=f"P{rang}",
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=300 + 365 * rang),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=200 + 365 * rang),
        journee_lancement=lancement,
        evenement_mi_parcours=lancement + datetime.timedelta(days=150),
        journee_bilan=lancement + datetime.timedelta(days=330),
        fin=lancement + datetime.timedelta(days=360),
    )
    for binome in BinomeFactory.create_batch(2, promotion=promotion):
        RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=20))
    CandidatureFactory(promotion=promotion, statut=Statut.NON_RETENUE, orientation=Orientation.COACHING)
    return promotion


def _figures(reponse) -> str:
    """The page's figures: its main content, the CSP nonces of the page around it aside."""
    contenu = reponse.content.decode()
    return contenu[contenu.index('id="content-main"') : contenu.index("Toutes les rubriques de l'administration")]


@pytest.mark.parametrize("persona", ["pilote", "ingenieur"])
@pytest.mark.parametrize("nombre", [1, 6])
def test_tableau_de_bord_en_nombre_constant_de_requetes(client, django_assert_num_queries, persona, nombre):
    for rang in range(nombre):
        _promotion_avec_son_annee(rang)
    membre = PiloteFactory() if persona == "pilote" else IngenieurFactory()
    client.force_login(membre)

    # Both: session, user with its groups and second factor (`mentorat.authentification`), user's and
    # groups' permissions (app list), promotions, the data's version (the figures' cache key), then, the cache being
    # empty: applications per promotion and status, pairs per promotion and status, response rates of every
    # campaign, then for the promotion shown: orientations, applications per département, pair members per
    # département.
    # Engineers only: meetings per promotion, the rhythm of the promotions whose year runs, the promotion's rhythm
    # month by month, its meetings per month, its reminders.
    with django_assert_num_queries(12 if persona == "pilote" else 17):
        reponse = client.get(URL)

    assert reponse.status_code == 200
    assert len(reponse.context["tableau"].lignes) == nombre

    # The same page again, nothing changed: the figures and the list of admin pages come from the cache: session,
    # user with its groups and second factor, promotions and the data's version.
    with django_assert_num_queries(4):
        encore = client.get(URL)
    assert _figures(encore) == _figures(reponse)


def test_le_pilote_ne_voit_pas_les_chiffres_du_suivi(client):
    _promotion_avec_son_annee(0)
    client.force_login(PiloteFactory())

    contenu = client.get(URL).content.decode()

    assert "Binômes par état" in contenu
    assert "Rencontres tenues par mois" not in contenu
    assert "Relances envoyées aux binômes" not in contenu
    assert "Dans le rythme" not in contenu


def test_l_ingenieur_voit_le_rythme_les_rencontres_et_les_relances(client):
    _promotion_avec_son_annee(0)
    client.force_login(IngenieurFactory())

    contenu = client.get(URL).content.decode()

    assert "Rencontres tenues par mois" in contenu
    assert "Relances envoyées aux binômes" in contenu
    assert 'id="titre-rythme"' in contenu


def test_les_chiffres_en_cache_de_l_ingenieur_ne_sont_pas_montres_au_pilote(client):
    _promotion_avec_son_annee(0)
    ingenieur, pilote = IngenieurFactory(), PiloteFactory()
    client.force_login(ingenieur)
    assert "Relances envoyées aux binômes" in client.get(URL).content.decode()  # the engineers' figures, now cached

    client.force_login(pilote)
    contenu = client.get(URL).content.decode()

    assert "Binômes par état" in contenu
    assert "Relances envoyées aux binômes" not in contenu
    assert "Dans le rythme" not in contenu
    client.force_login(ingenieur)
    assert "Relances envoyées aux binômes" in client.get(URL).content.decode()  # the pilot's did not replace them


def test_la_liste_des_rubriques_en_cache_d_un_ingenieur_n_est_pas_montree_au_pilote(client):
    _promotion_avec_son_annee(0)
    courriels = reverse("admin:mentorat_courriel_changelist")  # the outbox: engineers only
    client.force_login(IngenieurFactory())
    assert courriels in client.get(URL).content.decode()

    client.force_login(PiloteFactory())

    assert courriels not in client.get(URL).content.decode()


def test_un_changement_des_donnees_se_voit_aussitot_malgre_le_cache(client):
    promotion = _promotion_avec_son_annee(0)
    Binome.objects.filter(promotion=promotion).update(statut=StatutBinome.ACTIF)
    client.force_login(PiloteFactory())
    assert "<strong>5</strong>candidatures déposées" in client.get(URL).content.decode()

    CandidatureFactory(promotion=promotion)
    assert "<strong>6</strong>candidatures déposées" in client.get(URL).content.decode()

    assert "<strong>2</strong>binômes actifs" in client.get(URL).content.decode()
    Binome.objects.filter(promotion=promotion).update(statut=StatutBinome.ARRETE)  # an update sends no signal
    assert "<strong>0</strong>binômes actifs" in client.get(URL).content.decode()

    Candidature.objects.filter(promotion=promotion).order_by("-pk")[0].delete()
    assert "<strong>5</strong>candidatures déposées" in client.get(URL).content.decode()


def test_une_ventilation_sous_le_seuil_n_est_pas_affichee(client, settings):
    settings.EVALUATION_SEUIL_GROUPE = 5
    promotion = _promotion_avec_son_annee(0)  # one application oriented towards coaching
    CandidatureFactory.create_batch(
        5, promotion=promotion, statut=Statut.NON_RETENUE, orientation=Orientation.ATELIER, departement="29"
    )
    client.force_login(PiloteFactory())

    tableau_ = client.get(URL).context["tableau"]

    orientations = dict(tableau_.orientations)
    assert orientations[Orientation.COACHING.label] is None  # 1: could point at one person
    assert orientations[Orientation.ATELIER.label] == 5
    zones = {z.departement.code: z.candidatures for z in tableau_.zones}
    assert zones["29"] == 5


@pytest.mark.parametrize("valeur", ["99999999999999999999", "-1", "abc", "0"])
def test_une_promotion_forgee_dans_l_url_montre_la_promotion_par_defaut(client, valeur):
    promotion = _promotion_avec_son_annee(0)
    client.force_login(PiloteFactory())

    reponse = client.get(URL, {"promotion": valeur})

    assert reponse.status_code == 200
    assert reponse.context["tableau"].promotion == promotion


def test_un_caractere_nul_dans_la_promotion_est_refuse(client):
    client.force_login(PiloteFactory())

    assert client.get(URL, {"promotion": "\x00"}).status_code == 400


def test_sans_promotion_le_tableau_de_bord_invite_a_en_creer_une(client):
    client.force_login(PiloteFactory())

    contenu = client.get(URL).content.decode()

    assert "Aucune promotion n'est encore créée" in contenu
    assert reverse("admin:mentorat_promotion_add") in contenu


def test_le_contexte_du_site_du_comite_garde_celui_de_django(rf):
    """The committee's site builds Django's admin context itself (the list of apps only when a template reads it):
    the same keys and values as Django's, so that an upgrade adding one is noticed here."""
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser

    requete = rf.get("/admin/")
    requete.user = AnonymousUser()

    ours = admin.site.each_context(requete)
    django = admin.AdminSite.each_context(admin.site, requete)

    assert set(ours) == set(django)
    pareils = set(django) - {"available_apps", "log_entries"}
    assert {cle: ours[cle] for cle in pareils} == {cle: django[cle] for cle in pareils}
    assert str(ours["log_entries"].query) == str(django["log_entries"].query)
    assert list(ours["available_apps"]) == django["available_apps"] == []
