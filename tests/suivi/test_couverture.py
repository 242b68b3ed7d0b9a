"""The themes wished at application that the pair's held meetings covered: figures checked against the database."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import Binome
from suivi import couverture
from suivi.models import EtatRencontre
from tests.factories import BinomeFactory, CandidatureFactory, ThemeFactory
from tests.suivi.factories import RencontreFactory
from tests.suivi.test_views import connecter, il_y_a


@pytest.fixture
def themes(db):
    return [
        ThemeFactory(nom=nom, ordre=90 + k) for k, nom in enumerate(["Couverture A", "Couverture B", "Couverture C"])
    ]


def binome_souhaitant(promotion, *souhaites):
    mentore = CandidatureFactory(promotion=promotion, themes=list(souhaites))
    return BinomeFactory(promotion=promotion, mentore=mentore)


def test_un_theme_souhaite_est_aborde_par_une_rencontre_tenue_seulement(promotion, themes):
    budget, dialogue, management = themes
    binome = binome_souhaitant(promotion, budget, dialogue, management)
    RencontreFactory(binome=binome, themes=[budget, ThemeFactory(nom="Hors souhaits")])
    RencontreFactory(
        binome=binome,
        date=promotion.journee_lancement + datetime.timedelta(days=40),
        themes=[dialogue],
        etat=EtatRencontre.PREVUE,
    )

    resultat = couverture.du_binome(binome)

    assert resultat.souhaites == [budget, dialogue, management]
    assert resultat.abordes == [budget]
    assert resultat.non_abordes == [dialogue, management]


def test_les_rencontres_d_un_autre_binome_ne_comptent_pas(promotion, themes):
    budget = themes[0]
    binome = binome_souhaitant(promotion, budget)
    autre = binome_souhaitant(promotion, budget)
    RencontreFactory(binome=autre, themes=[budget])

    assert couverture.du_binome(binome).abordes == []
    assert couverture.du_binome(autre).abordes == [budget]


def test_un_theme_aborde_deux_fois_compte_une_fois(promotion, themes):
    budget, dialogue, _management = themes
    binome = binome_souhaitant(promotion, budget, dialogue)
    for jours in (14, 40):
        RencontreFactory(
            binome=binome, date=promotion.journee_lancement + datetime.timedelta(days=jours), themes=[budget]
        )

    annote = couverture.avec_couverture(Binome.objects.filter(pk=binome.pk)).get()

    assert (annote.nb_themes_souhaites, annote.nb_themes_abordes) == (2, 1)


def test_part_couverte_sur_plusieurs_binomes_et_a_une_date(promotion, themes, django_assert_num_queries):
    budget, dialogue, management = themes
    lancement = promotion.journee_lancement
    premier = binome_souhaitant(promotion, budget, dialogue)  # 2 wished, 2 covered (one after the date)
    RencontreFactory(binome=premier, date=lancement + datetime.timedelta(days=10), themes=[budget])
    RencontreFactory(binome=premier, date=lancement + datetime.timedelta(days=50), themes=[dialogue])
    second = binome_souhaitant(promotion, management)  # 1 wished, none covered
    RencontreFactory(binome=second, date=lancement + datetime.timedelta(days=10), themes=[budget])
    binome_souhaitant(promotion)  # wished nothing: not counted

    with django_assert_num_queries(1):
        toute_l_annee = couverture.part_couverte(Binome.objects.filter(promotion=promotion))
    au_jour_30 = couverture.part_couverte(
        Binome.objects.filter(promotion=promotion), lancement + datetime.timedelta(30)
    )

    assert toute_l_annee == couverture.Part(binomes=2, souhaites=3, abordes=2)
    assert toute_l_annee.pourcentage == 67
    assert au_jour_30 == couverture.Part(binomes=2, souhaites=3, abordes=1)
    assert couverture.part_couverte(Binome.objects.none()).pourcentage is None


def test_parts_par_corps_en_une_requete(promotion, themes, django_assert_num_queries):
    budget, dialogue, _management = themes
    dh = binome_souhaitant(promotion, budget, dialogue)
    RencontreFactory(binome=dh, themes=[dialogue])
    ds = BinomeFactory(
        promotion=promotion, mentore=CandidatureFactory(promotion=promotion, corps="DS", themes=[budget])
    )
    RencontreFactory(binome=ds, themes=[budget])

    with django_assert_num_queries(1):
        parts = couverture.parts_par(Binome.objects.filter(promotion=promotion), "mentore__corps")

    assert parts == {"DH": couverture.Part(1, 2, 1), "DS": couverture.Part(1, 1, 1)}


def test_la_page_de_suivi_montre_les_themes_souhaites_abordes(client, promotion, themes, ingenieur):
    budget, dialogue, _management = themes
    binome = binome_souhaitant(promotion, budget, dialogue)
    Binome.objects.filter(pk=binome.pk).update(referent=ingenieur)
    RencontreFactory(binome=binome, date=il_y_a(10), themes=[dialogue])
    connecter(client, ingenieur)

    contenu = client.get(reverse("suivi:binome", args=[binome.pk])).content.decode()

    assert "1 thème sur les 2 souhaités par la personne mentorée a été abordé" in contenu
    assert 'Couverture A : <span class="fr-badge fr-badge--sm fr-badge--info">pas encore abordé' in contenu
    assert 'Couverture B : <span class="fr-badge fr-badge--sm fr-badge--success">abordé' in contenu


@pytest.mark.parametrize("nombre", [1, 12])
def test_le_tableau_de_bord_compte_les_themes_abordes_sans_requete_par_binome(
    client, promotion, themes, ingenieur, nombre, django_assert_num_queries
):
    budget, dialogue, management = themes
    for _rang in range(nombre):
        binome = binome_souhaitant(promotion, budget, dialogue, management)
        Binome.objects.filter(pk=binome.pk).update(referent=ingenieur)
        RencontreFactory(binome=binome, date=il_y_a(10), themes=[budget, dialogue])
    connecter(client, ingenieur)

    # As in test_tableau_de_bord: the coverage is read in the query of the page's pairs (no meeting transmitted).
    with django_assert_num_queries(13):
        contenu = client.get(reverse("suivi:tableau_de_bord")).content.decode()

    assert contenu.count("<td>2 sur 3</td>") == nombre
