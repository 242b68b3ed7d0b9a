"""While a campaign is open, nothing PostgreSQL keeps on a row links an answer to the person marked answered.

The attack of the issue: whoever reads the database joins `evaluation_invitation` (marked answered) and
`evaluation_reponse` on a system column. These tests commit for real (transactional), as production does: in a
test's usual wrapping transaction every row would share one xmin.
"""

import pytest
from django.db import connection

from evaluation import services
from evaluation.models import Invitation, Reponse, ReponseEnAttente
from tests.factories import UtilisateurFactory

from .conftest import reponses_types

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin and ctid are PostgreSQL's"),
]


def _lignes(sql: str) -> list[tuple]:
    with connection.cursor() as curseur:
        curseur.execute(sql)
        return curseur.fetchall()


def _repondre(campagne, questions, texte: str) -> Invitation:
    invitation = Invitation.objects.create(
        campagne=campagne, utilisateur=UtilisateurFactory.create(), role="mentor", corps="DH"
    )
    services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions, texte=texte))
    return invitation


# Every answered invitation with the response and the values that share its transaction id.
JOINTURE_XMIN = """
    SELECT i.id, r.id, v.id FROM evaluation_invitation i
    LEFT JOIN evaluation_reponse r ON r.xmin = i.xmin
    LEFT JOIN evaluation_valeur v ON v.xmin = i.xmin
    WHERE i.a_repondu AND (r.id IS NOT NULL OR v.id IS NOT NULL)
"""


def test_apres_un_lot_aucune_jointure_sur_xmin(campagne, questions):
    for rang in range(4):
        _repondre(campagne, questions, f"réponse {rang}")
    # Below the threshold, the answers wait: nothing in the response table yet.
    assert (Reponse.objects.count(), ReponseEnAttente.objects.count()) == (0, 4)
    # The pool itself was written apart from the marks: not one of its rows shares their transaction.
    assert _lignes("SELECT 1 FROM evaluation_invitation i JOIN evaluation_reponseenattente a ON a.xmin = i.xmin") == []

    _repondre(campagne, questions, "réponse 4")

    assert (Reponse.objects.count(), ReponseEnAttente.objects.count()) == (5, 0)
    assert _lignes(JOINTURE_XMIN) == []
    # One transaction wrote the whole batch: its xmin tells the batch, not the answer.
    lot = _lignes(
        "SELECT DISTINCT xmin::text FROM evaluation_reponse UNION SELECT DISTINCT xmin::text FROM evaluation_valeur"
    )
    assert len(lot) == 1
    invitations = {x for (x,) in _lignes("SELECT xmin::text FROM evaluation_invitation WHERE a_repondu")}
    assert len(invitations) == 5 and not invitations & {x for (x,) in lot}


def test_ordre_physique_d_un_lot_sans_rapport_avec_l_ordre_des_reponses(campagne, questions, settings):
    settings.EVALUATION_SEUIL_GROUPE = 20  # one batch of twenty: the chance of the same order by luck is 1 / 20!
    invitations = [_repondre(campagne, questions, f"réponse {rang:02d}") for rang in range(20)]
    # The order in which the invitations were marked (their transaction ids), and the answer each one gave.
    par_xmin = [
        pk
        for pk, _ in _lignes("SELECT id, xmin::text::bigint AS x FROM evaluation_invitation WHERE a_repondu ORDER BY x")
    ]
    assert par_xmin == [i.pk for i in invitations]

    # The responses in their physical order (a dump, a query without ORDER BY), and the text of each.
    physique = [
        texte
        for (texte,) in _lignes(
            "SELECT v.texte FROM evaluation_reponse r JOIN evaluation_valeur v ON v.reponse_id = r.id "
            "JOIN evaluation_question q ON q.id = v.question_id WHERE q.code = 'apprentissages' ORDER BY r.ctid"
        )
    ]
    valeurs_physique = [
        texte
        for (texte,) in _lignes(
            "SELECT v.texte FROM evaluation_valeur v JOIN evaluation_question q ON q.id = v.question_id "
            "WHERE q.code = 'apprentissages' ORDER BY v.ctid"
        )
    ]

    soumis = [f"réponse {rang:02d}" for rang in range(20)]
    assert sorted(physique) == sorted(valeurs_physique) == soumis
    assert physique != soumis
    assert valeurs_physique != soumis


def test_a_la_cloture_le_reste_de_la_reserve_est_verse(campagne, questions):
    for rang in range(7):
        _repondre(campagne, questions, f"réponse {rang}")
    assert (Reponse.objects.count(), ReponseEnAttente.objects.count()) == (5, 2)
    from .conftest import fermer

    fermer(campagne)
    assert services.brasser_reponses(campagne_id=campagne.pk) is True

    assert (Reponse.objects.count(), ReponseEnAttente.objects.count()) == (7, 0)
    assert _lignes(JOINTURE_XMIN) == []
    assert len(_lignes("SELECT DISTINCT xmin::text FROM evaluation_reponse")) == 1


def test_a_repondu_reste_vrai_pour_le_participant_pendant_l_attente(campagne, questions):
    invitation = _repondre(campagne, questions, "seul")

    assert services.a_repondu(Invitation.objects.get(pk=invitation.pk)) is True
    assert ReponseEnAttente.objects.count() == 1
    with pytest.raises(services.QuestionnaireIndisponible):
        services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions))
