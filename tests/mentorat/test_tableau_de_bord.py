"""The programme dashboard, the committee's home page: its figures, who sees what, and its constant cost."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.models import Orientation, Statut
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


@pytest.mark.parametrize("persona", ["pilote", "ingenieur"])
@pytest.mark.parametrize("nombre", [1, 6])
def test_tableau_de_bord_en_nombre_constant_de_requetes(client, django_assert_num_queries, persona, nombre):
    for rang in range(nombre):
        _promotion_avec_son_annee(rang)
    membre = PiloteFactory() if persona == "pilote" else IngenieurFactory()
    client.force_login(membre)

    # Both: session, user, the second factor's device, user's and groups' permissions (app list), groups (header),
    # promotions, applications per promotion and status, pairs per promotion and status, response rates of every
    # campaign, then for the promotion shown: orientations, applications per département, pair members per département.
    # Engineers only: meetings per promotion, the rhythm of the promotions whose year runs, the promotion's rhythm
    # month by month, its meetings per month, its reminders.
    with django_assert_num_queries(13 if persona == "pilote" else 18):
        reponse = client.get(URL)

    assert reponse.status_code == 200
    assert len(reponse.context["tableau"].lignes) == nombre


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
