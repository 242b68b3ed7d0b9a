"""Fixtures of the pairs' tests: retained candidates ready to be matched."""

import pytest

from candidatures.models import Statut
from tests.factories import MOT_DE_PASSE, CandidatureFactory, MentorFactory


def mentore_retenu(promotion, **kwargs):
    return CandidatureFactory(promotion=promotion, **{"statut": Statut.RETENUE, **kwargs})


def mentor_retenu(promotion, **kwargs):
    return MentorFactory(promotion=promotion, **{"statut": Statut.RETENUE, **kwargs})


@pytest.fixture
def retenus(promotion):
    """Two retained mentees and two retained mentors; the best total pairs A with Y and B with X.

    Greedy would pair A with X (same département, same corps) and leave B with Y in another corps and far away.
    """
    a = mentore_retenu(promotion, utilisateur__prenom="Anne", utilisateur__nom="Aubert", departement="33", corps="DH")
    b = mentore_retenu(promotion, utilisateur__prenom="Bruno", utilisateur__nom="Bernard", departement="33", corps="DS")
    x = mentor_retenu(promotion, utilisateur__prenom="Xavier", utilisateur__nom="Xenakis", departement="33", corps="DS")
    y = mentor_retenu(promotion, utilisateur__prenom="Yasmine", utilisateur__nom="Yilmaz", departement="33", corps="DH")
    return a, b, x, y


@pytest.fixture
def connecte(client):
    def connecter(user):
        client.login(email=user.email, password=MOT_DE_PASSE)
        return client

    return connecter
