"""The pair's pages: logging meetings, the tracking table, transmitting; and who may reach them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from suivi.models import EtatRencontre, Moment, Rencontre, Transmission
from tests.factories import MOT_DE_PASSE, BinomeFactory, ThemeFactory
from tests.suivi.factories import RencontreFactory


def connecter(client, user):
    assert client.login(email=user.email, password=MOT_DE_PASSE)
    return client


def il_y_a(jours: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=jours)


def test_le_mentore_note_une_rencontre_tenue(client, binome, mentore):
    theme = ThemeFactory(nom="Management d'équipe")
    connecter(client, mentore)

    reponse = client.post(
        reverse("suivi:ajouter"),
        {"date": il_y_a(3).isoformat(), "mode": "visio", "themes": [theme.pk], "autre_theme": "  Prise   de poste "},
        follow=True,
    )

    rencontre = Rencontre.objects.get()
    assert (rencontre.binome, rencontre.date, rencontre.mode) == (binome, il_y_a(3), "visio")
    assert (rencontre.etat, rencontre.autre_theme, rencontre.notee_par) == (
        EtatRencontre.TENUE,
        "Prise de poste",
        mentore,
    )
    assert list(rencontre.themes.all()) == [theme]
    assert "La rencontre est notée." in reponse.content.decode()
    assert "Management d&#x27;équipe, Prise de poste" in reponse.content.decode()


def test_le_formulaire_dit_que_le_contenu_reste_confidentiel(client, binome, mentor):
    contenu = connecter(client, mentor).get(reverse("suivi:ajouter")).content.decode()

    assert "Le contenu de vos échanges reste confidentiel" in contenu
    assert "<legend" in contenu


@pytest.mark.horloges
def test_une_rencontre_du_jour_de_paris_est_tenue(client, binome, mentor):
    connecter(client, mentor).post(reverse("suivi:ajouter"), {"date": il_y_a(0).isoformat(), "mode": "visio"})

    assert Rencontre.objects.get().etat == EtatRencontre.TENUE


@pytest.mark.horloges
def test_une_date_a_venir_est_une_rencontre_prevue(client, binome, mentor):
    connecter(client, mentor).post(reverse("suivi:ajouter"), {"date": il_y_a(-10).isoformat(), "mode": "presentiel"})

    assert Rencontre.objects.get().etat == EtatRencontre.PREVUE


@pytest.mark.parametrize("cote", ["avant", "apres"])
def test_date_hors_du_programme_refusee_avec_message(client, binome, mentore, cote):
    promotion = binome.promotion
    date = promotion.journee_lancement - datetime.timedelta(days=1)
    if cote == "apres":
        date = promotion.fin + datetime.timedelta(days=1)

    reponse = connecter(client, mentore).post(reverse("suivi:ajouter"), {"date": date.isoformat(), "mode": "visio"})

    assert reponse.status_code == 200
    assert "Choisissez une date entre la journée de lancement" in reponse.content.decode()
    assert f'value="{date.isoformat()}"' in reponse.content.decode()
    assert not Rencontre.objects.exists()


def test_deux_rencontres_le_meme_jour_refusees(client, binome, mentore):
    RencontreFactory(binome=binome, date=il_y_a(5))

    reponse = connecter(client, mentore).post(
        reverse("suivi:ajouter"), {"date": il_y_a(5).isoformat(), "mode": "visio"}
    )

    assert "Une rencontre est déjà notée à cette date pour votre binôme." in reponse.content.decode()
    assert Rencontre.objects.count() == 1


def test_date_invalide_message_en_francais(client, binome, mentore):
    reponse = connecter(client, mentore).post(reverse("suivi:ajouter"), {"date": "31/02/2031", "mode": "visio"})

    assert reponse.status_code == 200
    assert "Saisissez une date valide." in reponse.content.decode()


def test_le_mentor_modifie_une_rencontre_notee_par_le_mentore(client, binome, mentor):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(20), mode="presentiel")

    connecter(client, mentor).post(
        reverse("suivi:modifier", args=[rencontre.pk]), {"date": il_y_a(21).isoformat(), "mode": "visio"}
    )

    rencontre.refresh_from_db()
    assert (rencontre.date, rencontre.mode) == (il_y_a(21), "visio")


def test_une_rencontre_tenue_ne_peut_pas_etre_deplacee_dans_le_futur(client, binome, mentor):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(20))

    reponse = connecter(client, mentor).post(
        reverse("suivi:modifier", args=[rencontre.pk]), {"date": il_y_a(-5).isoformat(), "mode": "visio"}
    )

    assert reponse.status_code == 200
    assert "Cette rencontre est notée comme tenue : sa date ne peut pas être à venir." in reponse.content.decode()
    rencontre.refresh_from_db()
    assert (rencontre.date, rencontre.etat) == (il_y_a(20), EtatRencontre.TENUE)


def test_une_rencontre_prevue_peut_etre_reportee(client, binome, mentor):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(-5), etat=EtatRencontre.PREVUE)

    connecter(client, mentor).post(
        reverse("suivi:modifier", args=[rencontre.pk]), {"date": il_y_a(-12).isoformat(), "mode": "visio"}
    )

    rencontre.refresh_from_db()
    assert (rencontre.date, rencontre.etat) == (il_y_a(-12), EtatRencontre.PREVUE)


def test_supprimer_une_rencontre(client, binome, mentore):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(20))

    connecter(client, mentore).post(reverse("suivi:supprimer", args=[rencontre.pk]))

    assert not Rencontre.objects.exists()


def test_rencontre_prevue_passee_a_confirmer_puis_marquee_tenue(client, binome, mentore):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(2), etat=EtatRencontre.PREVUE)
    connecter(client, mentore)

    assert "À confirmer" in client.get(reverse("suivi:rencontres")).content.decode()
    client.post(reverse("suivi:marquer_tenue", args=[rencontre.pk]))

    rencontre.refresh_from_db()
    assert rencontre.etat == EtatRencontre.TENUE


def test_tableau_de_suivi_compte_et_signale_les_ecarts(client, binome, mentore, lancement):
    RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=20))
    RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=90))

    contenu = connecter(client, mentore).get(reverse("suivi:rencontres")).content.decode()

    assert "2 rencontres tenues sur un objectif de 6 à 8 dans l'année." in contenu
    assert "70 jours — écart dépassé" in contenu
    assert "20 jours" in contenu
    assert "Temps collectif de mi-parcours (à distance)" in contenu
    assert "<svg" in contenu


@pytest.mark.horloges
def test_transmettre_le_tableau_a_mi_parcours(client, binome, mentore):
    reponse = connecter(client, mentore).post(reverse("suivi:transmettre"), {"moment": "mi_parcours"}, follow=True)

    transmission = Transmission.objects.get()
    assert (transmission.binome, transmission.moment, transmission.transmise_par) == (
        binome,
        Moment.MI_PARCOURS,
        mentore,
    )
    assert f"Tableau transmis aux ingénieurs le {il_y_a(0):%d/%m/%Y}." in reponse.content.decode()


# Who may reach what.


def test_post_forge_sur_la_rencontre_d_un_autre_binome_donne_404(client, binome, intrus):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(10))
    connecter(client, intrus)

    for nom in ("suivi:modifier", "suivi:supprimer", "suivi:marquer_tenue"):
        reponse = client.post(reverse(nom, args=[rencontre.pk]), {"date": il_y_a(11).isoformat(), "mode": "visio"})
        assert reponse.status_code == 404, nom
    rencontre.refresh_from_db()
    assert rencontre.date == il_y_a(10)


def test_l_intrus_ne_peut_noter_que_dans_son_propre_binome(client, binome, intrus):
    connecter(client, intrus).post(reverse("suivi:ajouter"), {"date": il_y_a(4).isoformat(), "mode": "visio"})

    assert list(Rencontre.objects.values_list("binome__mentore__utilisateur", flat=True)) == [intrus.pk]


PAGES_DU_BINOME = ["suivi:rencontres", "suivi:ajouter", "suivi:transmettre"]


@pytest.mark.parametrize("nom", PAGES_DU_BINOME)
def test_un_candidat_sans_binome_recoit_404(client, candidat, nom):
    connecter(client, candidat.utilisateur)

    assert client.post(reverse(nom), {"date": il_y_a(4).isoformat(), "mode": "visio"}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("suivi:rencontres"),
        reverse("suivi:ajouter"),
        reverse("suivi:modifier", args=[1]),
        reverse("suivi:calendrier"),
        reverse("suivi:tableau_de_bord"),
        reverse("suivi:binome", args=[1]),
        reverse("suivi:export_csv", args=[1]),
        reverse("suivi:export_pdf", args=[1]),
    ],
)
def test_anonyme_renvoye_a_la_connexion(client, db, url):
    reponse = client.get(url)

    assert reponse.status_code == 302
    assert reponse.url.startswith("/compte/connexion/")


def test_binome_arrete_ne_peut_plus_noter(client, binome, mentore):
    binome.statut = "arrete"
    binome.save()
    connecter(client, mentore)

    assert client.get(reverse("suivi:rencontres")).status_code == 200
    ajout = client.get(reverse("suivi:ajouter"))
    assert ajout.status_code == 200  # explained, not a bare 404
    assert "Votre binôme est arrêté" in ajout.content.decode()


def test_le_tableau_d_un_binome_est_vu_par_son_referent_pas_par_un_intrus(client, binome, intrus):
    url = reverse("suivi:binome", args=[binome.pk])

    assert connecter(client, binome.referent).get(url).status_code == 200
    assert connecter(client, intrus).get(url).status_code == 404


def test_le_tableau_d_un_binome_n_est_pas_vu_par_le_pilote(client, binome, pilote):
    """The guide: the tracking tables are seen by the engineers only, not by the whole committee."""
    RencontreFactory(binome=binome, date=il_y_a(9), autre_theme="Budget annexe")

    reponse = connecter(client, pilote).get(reverse("suivi:binome", args=[binome.pk]))

    assert reponse.status_code == 404
    assert "Budget annexe" not in reponse.content.decode()


def test_autre_binome_de_la_meme_promotion_ne_voit_pas_les_rencontres(client, binome, intrus):
    RencontreFactory(binome=binome, date=il_y_a(9), autre_theme="Budget annexe")

    contenu = connecter(client, intrus).get(reverse("suivi:rencontres")).content.decode()

    assert "Budget annexe" not in contenu
    assert "Aucune rencontre notée pour l'instant." in contenu


def test_la_page_du_binome_ne_depend_pas_du_nombre_de_rencontres(client, binome, mentore, django_assert_num_queries):
    BinomeFactory(promotion=binome.promotion)
    connecter(client, mentore)
    for jours in range(5, 95, 10):
        RencontreFactory(binome=binome, date=il_y_a(jours), themes=[ThemeFactory()])

    # session, user with its groups (committee predicate), the version of the tables the page shows (its cache
    # key), binome with people, its meetings, their themes, its transmissions, the mentee's wished themes with
    # whether a held meeting covered each
    with django_assert_num_queries(8):
        client.get(reverse("suivi:rencontres"))
    # Displayed again, from the cache: session, user with its groups, the version.
    with django_assert_num_queries(3):
        client.get(reverse("suivi:rencontres"))
