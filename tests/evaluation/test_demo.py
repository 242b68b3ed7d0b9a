import datetime

from django.utils import timezone

from binomes.models import StatutBinome
from evaluation import demo
from evaluation.models import Campagne, EtatSynthese, Reponse, TypeCampagne
from mentorat.demo import creer_monde
from tests.factories import BinomeFactory


def test_demo_campagne_mi_parcours_publiee_et_fin_programmee_idempotente(db, mailoutbox):
    monde = creer_monde(timezone.localdate())
    BinomeFactory.create_batch(7, promotion=monde.en_cours)
    BinomeFactory(promotion=monde.en_cours, statut=StatutBinome.ARRETE)

    demo.peupler(monde)
    demo.peupler(monde)

    mi_parcours = Campagne.objects.get(promotion=monde.en_cours, type=TypeCampagne.MI_PARCOURS)
    assert mi_parcours.est_close()
    assert mi_parcours.etat == EtatSynthese.PUBLIEE
    assert mi_parcours.reponses_brassees is True
    assert mi_parcours.invitations.count() == 14
    assert Reponse.objects.filter(campagne=mi_parcours).count() == 12
    assert mi_parcours.extraits == demo.EXTRAITS
    fin = Campagne.objects.get(promotion=monde.en_cours, type=TypeCampagne.FIN)
    assert fin.ouverture.date() > timezone.localdate() + datetime.timedelta(days=30)
    assert Campagne.objects.count() == 3


def test_demo_sans_binomes_attend(db):
    monde = creer_monde(timezone.localdate())

    demo.peupler(monde)

    assert not Campagne.objects.filter(type=TypeCampagne.MI_PARCOURS).exists()
