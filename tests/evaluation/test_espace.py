"""The questionnaires in the participant's space: a lost e-mail no longer means no answer."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from candidatures.models import Role
from evaluation import services
from evaluation.espace import est_repondue, questionnaires_de
from evaluation.models import Invitation, Question, TypeCampagne
from mentorat.models import Corps
from tests.evaluation.factories import CampagneFactory
from tests.factories import MOT_DE_PASSE, PromotionFactory


def inviter(campagne, utilisateur) -> Invitation:
    return Invitation.objects.create(campagne=campagne, utilisateur=utilisateur, role=Role.MENTORE, corps=Corps.DH)


def test_l_espace_liste_les_questionnaires_ouverts_et_ceux_deja_repondus(client, binome, mentore, promotion):
    ouverte = CampagneFactory(promotion=promotion, type=TypeCampagne.FIN)
    repondue = CampagneFactory(promotion=promotion, type=TypeCampagne.MI_PARCOURS)
    fermee = CampagneFactory(
        promotion=promotion,
        type=TypeCampagne.FIN_DE_BINOME,
        ouverture=timezone.now() - datetime.timedelta(days=30),
        fermeture=timezone.now() - datetime.timedelta(days=1),
    )
    a_repondre = inviter(ouverte, mentore)
    services.repondre(invitation_id=inviter(repondue, mentore).pk, valeurs={})
    inviter(fermee, mentore)
    ailleurs = PromotionFactory(est_courante=False)
    inviter(CampagneFactory(promotion=ailleurs, type=TypeCampagne.FIN_DE_BINOME), binome.mentor.utilisateur)

    client.login(email=mentore.email, password=MOT_DE_PASSE)
    contenu = client.get(reverse("binomes:espace")).content.decode()

    assert 'id="mes-questionnaires"' in contenu
    # The link carries a signed token dated to the second: it is read back, not compared with one signed here.
    prefixe = reverse("evaluation:questionnaire", args=["JETON"]).split("JETON")[0]
    liens = re.findall(rf'href="{re.escape(prefixe)}([^"/]+)/"', contenu)
    assert [services.invitation_du_jeton(lien) for lien in liens] == [a_repondre]
    assert "Répondre : Questionnaire de fin de programme" in contenu
    assert "Questionnaire de mi-parcours : répondu, merci." in contenu
    assert "Questionnaire de fin de binôme (arrêt anticipé) : répondu" not in contenu
    assert (
        "Répondre : Questionnaire de fin de binôme" not in contenu
    )  # closed unanswered, and another person's invitation: not listed


def test_repondu_se_lit_sur_l_invitation_seule(binome, mentore, promotion):
    invitation = inviter(CampagneFactory(promotion=promotion), mentore)
    assert not est_repondue(invitation)

    services.repondre(invitation_id=invitation.pk, valeurs={})
    invitation.refresh_from_db()

    assert est_repondue(invitation)
    assert questionnaires_de(mentore).ouverts == []


def test_l_espace_garde_le_meme_nombre_de_requetes(client, binome, mentore, promotion, django_assert_max_num_queries):
    inviter(CampagneFactory(promotion=promotion, type=TypeCampagne.FIN), mentore)
    client.login(email=mentore.email, password=MOT_DE_PASSE)
    with django_assert_max_num_queries(40) as une:
        client.get(reverse("binomes:espace"))

    for type_ in (TypeCampagne.MI_PARCOURS, TypeCampagne.FIN_DE_BINOME):
        inviter(CampagneFactory(promotion=promotion, type=type_), mentore)
    for _ in range(3):
        inviter(CampagneFactory(promotion=PromotionFactory(est_courante=False), type=TypeCampagne.FIN), mentore)
    with django_assert_max_num_queries(len(une.captured_queries)):
        client.get(reverse("binomes:espace"))


def test_un_participant_repond_depuis_son_espace(client, binome, mentore, promotion):
    """From the space's button to the questionnaire, answered once; the space then says so."""
    campagne = CampagneFactory(promotion=promotion, type=TypeCampagne.FIN)
    inviter(campagne, mentore)
    client.login(email=mentore.email, password=MOT_DE_PASSE)
    lien = questionnaires_de(mentore).ouverts[0].lien
    reponses = {
        q.code: {"echelle": "4", "oui_non": "oui"}.get(q.type, "Un regard neuf.")
        for q in Question.objects.filter(active=True)
    }

    client.post(lien, reponses)

    contenu = client.get(reverse("binomes:espace")).content.decode()
    assert "Questionnaire de fin de programme : répondu, merci." in contenu
    assert lien not in contenu
