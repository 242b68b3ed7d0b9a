"""The demo pairs: built through the services, idempotent, robust to whatever retained candidates exist."""

from collections import Counter

import pytest

from binomes import demo
from binomes.models import Binome, Proposition, StatutBinome
from mentorat.demo import creer_monde

from .conftest import mentor_retenu, mentore_retenu

pytestmark = pytest.mark.django_db


def test_demo_sans_candidats_ne_cree_rien():
    monde = creer_monde()

    demo.peupler(monde)

    assert (Binome.objects.count(), Proposition.objects.count()) == (0, 0)


def test_demo_forme_les_binomes_et_un_brouillon_idempotente(django_capture_on_commit_callbacks, mailoutbox):
    monde = creer_monde()
    departements = ["33", "75", "69", "13", "59", "35"]
    for rang, dept in enumerate(departements):
        mentore_retenu(monde.en_cours, departement=dept, utilisateur__nom=f"Mentoree{rang}")
        mentor_retenu(monde.en_cours, departement=dept, utilisateur__nom=f"Mentor{rang}")
    mentore_retenu(monde.courante)
    mentor_retenu(monde.courante)
    mentore_retenu(monde.terminee)
    mentor_retenu(monde.terminee)

    with django_capture_on_commit_callbacks(execute=True):
        demo.peupler(monde)
    demo.peupler(monde)

    statuts = Counter(Binome.objects.filter(promotion=monde.en_cours).values_list("statut", flat=True))
    assert statuts == {StatutBinome.ACTIF: 4, StatutBinome.CONFIRME: 1, StatutBinome.ARRETE: 1}
    assert list(Binome.objects.filter(promotion=monde.terminee).values_list("statut", flat=True)) == [
        StatutBinome.TERMINE
    ]
    referents = Counter(Binome.objects.filter(promotion=monde.en_cours).values_list("referent", flat=True))
    assert sorted(referents.values()) == [2, 2, 2]
    arrete = Binome.objects.get(statut=StatutBinome.ARRETE)
    assert (arrete.motif_arret, arrete.date_arret is not None) == ("changement_poste", True)
    assert Proposition.objects.get().promotion == monde.courante
    assert Proposition.objects.get().lignes.count() == 1
    assert not Binome.objects.filter(promotion=monde.courante).exists()
    # 6 pairs × 2 introductions; the stop request: 1 to the referent, 1 to each member (last meeting); the stop
    # recorded: 1 to each member, and each invited to the end-of-pair questionnaire; the finished promotion's
    # pair: 2 introductions.
    assert len(mailoutbox) == 21
