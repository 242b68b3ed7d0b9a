"""The demo applications: every status, retained candidates on both sides, idempotent."""

import pytest
from django.db import transaction

from candidatures import demo, places
from candidatures.models import Candidature, Role, Statut
from mentorat.demo import creer_monde

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _monde_peuple(django_db_setup, django_db_blocker):
    """The world and its demo applications, made once for the module (per test process), in a transaction rolled
    back at its end: each test runs in a savepoint of it. The idempotence tests run the demo a second time there."""
    with django_db_blocker.unblock(), transaction.atomic():
        monde = creer_monde()
        demo.peupler(monde)
        yield monde
        transaction.set_rollback(True)


@pytest.fixture
def monde(_monde_peuple, db):
    return _monde_peuple


def test_demo_cree_tous_les_statuts_une_seule_fois(monde):
    demo.peupler(monde)

    en_cours = Candidature.objects.de_la_promotion(monde.en_cours)
    courante = Candidature.objects.de_la_promotion(monde.courante)
    assert (en_cours.retenues().du_role(Role.MENTORE).count(), en_cours.retenues().du_role(Role.MENTOR).count()) == (
        12,
        12,
    )
    assert courante.count() == 43
    assert set(courante.values_list("statut", flat=True)) == set(Statut.values)
    assert courante.retenues().du_role(Role.MENTOR).exists() and courante.retenues().du_role(Role.MENTORE).exists()
    # 27 of the half-way promotion, 43 of the open one, 8 of the finished one.
    assert Candidature.objects.de_la_promotion(monde.terminee).retenues().count() == 8
    assert Candidature.objects.count() == 78
    # Mentees state two or three objectives, of the programme's general kind; mentors none.
    assert {len(o) for o in Candidature.objects.du_role(Role.MENTORE).values_list("objectifs", flat=True)} == {2, 3}
    assert all(o == [] for o in Candidature.objects.du_role(Role.MENTOR).values_list("objectifs", flat=True))


def test_demo_date_les_depots_dans_la_periode_de_candidature(monde):
    for promotion in (monde.courante, monde.en_cours):
        candidatures = Candidature.objects.de_la_promotion(promotion)
        assert all(promotion.candidatures_ouvertes(c.cree_le) for c in candidatures)
        assert all(c.decide_le > c.cree_le for c in candidatures if c.decide_le)


def test_demo_montre_une_liste_d_attente_derriere_des_places_prises(monde):
    demo.peupler(monde)

    attente = Candidature.objects.de_la_promotion(monde.courante).en_liste_attente()
    assert list(attente.values_list("rang_attente", "role")) == [(rang, Role.MENTORE) for rang in (1, 2, 3)]
    assert places.places_de(monde.courante) == places.Places(total=6, prises=6, en_attente=3, proposees=0)
