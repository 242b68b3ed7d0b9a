"""The demo step and the benchmark command, on small numbers."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from binomes.models import Binome, StatutBinome
from mentorat.demo import creer_monde
from suivi import couverture, demo
from suivi.models import EtatRencontre, Rencontre, Transmission
from suivi.tableau import Vigilance, construire
from tests.factories import BinomeFactory, ThemeFactory


def test_demo_idempotente_avec_des_binomes_dans_tous_les_etats(db):
    monde = creer_monde()
    ThemeFactory.create_batch(4)
    BinomeFactory.create_batch(5, promotion=monde.en_cours, referent=monde.ingenieurs[0])
    termine = BinomeFactory(promotion=monde.terminee, referent=monde.ingenieurs[0], statut=StatutBinome.TERMINE)

    demo.peupler(monde)
    nombre = Rencontre.objects.count()
    demo.peupler(monde)

    assert Rencontre.objects.count() == nombre
    assert Transmission.objects.count() == 4  # three at mid-course, the finished pair's at the end
    assert termine.rencontres.tenues().count() >= 6
    binomes = monde.en_cours.binomes.filter(statut=StatutBinome.ACTIF).prefetch_related("rencontres")
    vigilances = {construire(b, monde.aujourd_hui).vigilance for b in binomes}
    assert vigilances == {Vigilance.A_JOUR, Vigilance.A_SURVEILLER, Vigilance.DEPASSE}
    assert Rencontre.objects.filter(etat=EtatRencontre.PREVUE, date__lt=monde.aujourd_hui).count() == 1
    assert Rencontre.objects.filter(etat=EtatRencontre.PREVUE, date__gt=monde.aujourd_hui).count() == 2


def test_demo_la_premiere_rencontre_aborde_un_theme_souhaite(db):
    monde = creer_monde()
    themes = ThemeFactory.create_batch(4)
    for binome in BinomeFactory.create_batch(3, promotion=monde.en_cours, referent=monde.ingenieurs[0]):
        binome.mentore.themes.set(themes[-2:])

    demo.peupler(monde)

    for binome in Binome.objects.filter(promotion=monde.en_cours):
        resultat = couverture.du_binome(binome)
        assert resultat.souhaites[0] in resultat.abordes


@pytest.mark.django_db(transaction=True)
def test_benchmark_mesure_dans_sa_propre_base_et_affiche_ce_qu_il_mesure(base_de_mesure_existe):
    nom_de_la_base = connection.settings_dict["NAME"]
    sortie = io.StringIO()

    call_command("benchmark_rappels", binomes=120, recherches=10, stdout=sortie)

    texte = sortie.getvalue()
    assert f"Base de mesure : {nom_de_la_base}_mesure (créée et migrée pour cette mesure)." in texte
    assert "Généré : 120 binômes actifs, 960 rencontres" in texte
    assert "Sélection des binômes silencieux depuis six semaines (services.binomes_a_relancer) : " in texte
    assert ", 1 requête(s) (objectif < 10 s : atteint)." in texte
    assert "Création des rappels du jour (services.creer_rappels_dus" in texte
    assert "Binômes d'une personne (Binome.objects.de_l_utilisateur) : 10 personnes, 10 binômes trouvés" in texte
    assert f"Base de mesure {nom_de_la_base}_mesure supprimée" in texte
    # Nothing written here, and the benchmark's own database is gone.
    assert connection.settings_dict["NAME"] == nom_de_la_base
    assert not Rencontre.objects.exists() and not Binome.objects.exists()
    assert not base_de_mesure_existe()
