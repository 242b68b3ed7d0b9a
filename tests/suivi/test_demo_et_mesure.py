"""The demo step and the benchmark command, on small numbers."""

import io

from django.core.management import call_command

from binomes.models import StatutBinome
from mentorat.demo import creer_monde
from suivi import demo
from suivi.models import EtatRencontre, Rencontre, Transmission
from suivi.tableau import Vigilance, construire
from tests.factories import BinomeFactory, ThemeFactory


def test_demo_idempotente_avec_des_binomes_dans_tous_les_etats(db):
    monde = creer_monde()
    ThemeFactory.create_batch(4)
    BinomeFactory.create_batch(5, promotion=monde.en_cours, referent=monde.ingenieurs[0])

    demo.peupler(monde)
    nombre = Rencontre.objects.count()
    demo.peupler(monde)

    assert Rencontre.objects.count() == nombre
    assert Transmission.objects.count() == 3
    binomes = monde.en_cours.binomes.filter(statut=StatutBinome.ACTIF).prefetch_related("rencontres")
    vigilances = {construire(b, monde.aujourd_hui).vigilance for b in binomes}
    assert vigilances == {Vigilance.A_JOUR, Vigilance.A_SURVEILLER, Vigilance.DEPASSE}
    assert Rencontre.objects.filter(etat=EtatRencontre.PREVUE, date__lt=monde.aujourd_hui).count() == 1
    assert Rencontre.objects.filter(etat=EtatRencontre.PREVUE, date__gt=monde.aujourd_hui).count() == 2


def test_benchmark_affiche_les_mesures_et_annule_ses_donnees(db):
    sortie = io.StringIO()

    call_command("benchmark_rappels", binomes=120, stdout=sortie)

    texte = sortie.getvalue()
    assert "Généré : 120 binômes actifs, 960 rencontres" in texte
    assert "requête(s)." in texte
    assert "Sélection des binômes à relancer : " in texte
    assert ", 1 requête(s)." in texte
    assert "Données générées annulées" in texte
    assert not Rencontre.objects.exists()
