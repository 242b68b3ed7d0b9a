import datetime

import pytest
from django.utils import timezone

from candidatures.models import Role
from evaluation import services
from evaluation.models import Campagne, Question
from mentorat.models import Corps
from tests.factories import BinomeFactory, PromotionFactory

from .factories import CampagneFactory


@pytest.fixture
def envoi(django_capture_on_commit_callbacks):
    """Run what is enqueued after commit (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def questions(db):
    return {q.code: q for q in Question.objects.all()}


def reponses_types(questions, note=4, oui=True, texte="Un regard extérieur utile."):
    return {q: (note if q.type == "echelle" else oui if q.type == "oui_non" else texte) for q in questions.values()}


@pytest.fixture
def campagne(binome):
    """An open campaign of `binome`'s promotion, its two members invited."""
    campagne = CampagneFactory(promotion=binome.promotion)
    services.creer_invitations(campagne=campagne)
    return campagne


def fermer(campagne: Campagne) -> None:
    Campagne.objects.filter(pk=campagne.pk).update(fermeture=timezone.now() - datetime.timedelta(minutes=1))
    campagne.refresh_from_db()


def repondre_en_nombre(campagne, questions, repartition):
    """Answer `campagne` through the service, once per (role, corps, note) in `repartition`."""
    from evaluation.models import Invitation
    from tests.factories import UtilisateurFactory

    for role, corps, note in repartition:
        invitation = Invitation.objects.create(
            campagne=campagne, utilisateur=UtilisateurFactory(), role=role, corps=corps
        )
        services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions, note=note, oui=note >= 3))


@pytest.fixture
def campagne_close(campagne, questions):
    """`campagne` answered by 12 people (6 DH mentees rate 5, 4 DH mentors 4, 2 DS mentors 2), then closed."""
    repondre_en_nombre(
        campagne,
        questions,
        [(Role.MENTORE, Corps.DH, 5)] * 6 + [(Role.MENTOR, Corps.DH, 4)] * 4 + [(Role.MENTOR, Corps.DS, 2)] * 2,
    )
    fermer(campagne)
    return campagne


@pytest.fixture
def autre_promotion_membre(db):
    """A member of a pair of another promotion."""
    return BinomeFactory(promotion=PromotionFactory(est_courante=False)).mentore.utilisateur
