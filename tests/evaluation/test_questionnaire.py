"""Answering by the personal link: once, while open, values within the scale; otherwise a French page."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import Campagne, Invitation, Reponse, ReponseEnAttente

from .conftest import fermer


@pytest.fixture
def invitation(campagne, mentore):
    return Invitation.objects.get(campagne=campagne, utilisateur=mentore)


def _url(invitation):
    return reverse("evaluation:questionnaire", args=[services.jeton(invitation)])


DONNEES = {
    "engagement": "4",
    "satisfaction": "5",
    "relation": "4",
    "thematiques": "3",
    "apprentissages": "Prendre du recul avant de décider.",
    "recommandation": "oui",
    "suggestions": "",
}


def test_questionnaire_dit_qu_il_porte_sur_le_programme(client, invitation):
    reponse = client.get(_url(invitation))

    assert reponse.status_code == 200
    assert "Il ne porte ni sur les personnes ni sur le contenu de vos échanges" in reponse.content.decode()


def test_reponse_enregistree_anonymement(client, invitation, mentore):
    reponse = client.post(_url(invitation), DONNEES)

    assert "Merci, votre réponse est enregistrée" in reponse.content.decode()
    invitation.refresh_from_db()
    assert invitation.a_repondu is True
    assert services.a_repondu(invitation) is True
    assert Reponse.objects.count() == 0  # in the pool until the batch (four more answers, or the closing)
    fermer(invitation.campagne)
    services.clore_si_besoin(invitation.campagne)
    stockee = Reponse.objects.get()
    assert (stockee.campagne, stockee.role, stockee.corps) == (invitation.campagne, "mentore", "DH")
    assert dict(stockee.valeurs.values_list("question__code", "note")) == {
        "engagement": 4, "satisfaction": 5, "relation": 4, "thematiques": 3,
        "apprentissages": None, "recommandation": None, "suggestions": None,
    }  # fmt: skip
    assert stockee.valeurs.get(question__code="recommandation").oui is True


def test_second_envoi_avec_le_meme_lien_refuse(client, invitation):
    client.post(_url(invitation), DONNEES)

    reponse = client.post(_url(invitation), DONNEES)

    assert reponse.status_code == 410
    assert "Votre réponse a déjà été reçue" in reponse.content.decode()
    [attente] = ReponseEnAttente.objects.all()
    assert len(attente.valeurs) == 7


def test_lien_falsifie(client, invitation):
    jeton = signing.dumps(invitation.pk, salt="autre-chose")

    reponse = client.post(reverse("evaluation:questionnaire", args=[jeton]), DONNEES)

    assert reponse.status_code == 404
    assert "Lien non valable" in reponse.content.decode()
    assert Reponse.objects.count() == ReponseEnAttente.objects.count() == 0


def test_campagne_close(client, invitation):
    fermer(invitation.campagne)

    reponse = client.post(_url(invitation), DONNEES)

    assert reponse.status_code == 410
    assert "Ce questionnaire est clos" in reponse.content.decode()
    assert Reponse.objects.count() == ReponseEnAttente.objects.count() == 0
    assert Invitation.objects.get(pk=invitation.pk).a_repondu is False


def test_campagne_pas_encore_ouverte(client, invitation):
    Campagne.objects.filter(pk=invitation.campagne_id).update(ouverture=timezone.now() + datetime.timedelta(days=1))

    reponse = client.get(_url(invitation))

    assert reponse.status_code == 410
    assert "pas encore ouvert" in reponse.content.decode()


@pytest.mark.parametrize("note", ["0", "6", "trois", ""])
def test_note_hors_echelle_refusee_et_saisie_conservee(client, invitation, note):
    reponse = client.post(_url(invitation), {**DONNEES, "satisfaction": note})

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert (
        "Choisissez une note de 1 à 5." if note == "" else "La note doit être un nombre entier de 1 à 5."
    ) in contenu
    assert "Prendre du recul avant de décider." in contenu
    assert Reponse.objects.count() == ReponseEnAttente.objects.count() == 0
    assert Invitation.objects.get(pk=invitation.pk).a_repondu is False


def test_service_refuse_une_seconde_reponse(invitation, questions):
    from .conftest import reponses_types

    services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions))

    with pytest.raises(services.QuestionnaireIndisponible) as refus:
        services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions))
    assert refus.value.motif == "deja_repondu"
    assert ReponseEnAttente.objects.count() == 1


def test_envoi_vide_signale_chaque_question_obligatoire(client, invitation):
    reponse = client.post(_url(invitation), {})

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert contenu.count("Choisissez une note de 1 à 5.") == 4 * 2  # beside each question, and in the summary
    assert "Répondez par oui ou par non." in contenu
    assert Reponse.objects.count() == ReponseEnAttente.objects.count() == 0


def test_le_questionnaire_en_cache_donne_a_chacun_son_jeton_csrf(campagne, mentor, mentore):
    """Both members' questionnaires are one cached page: each gets their own CSRF token, and their answer is kept."""
    from django.test import Client

    invitations = [Invitation.objects.get(campagne=campagne, utilisateur=u) for u in (mentor, mentore)]
    visiteurs = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    pages = [v.get(_url(i)).content.decode() for v, i in zip(visiteurs, invitations, strict=True)]

    jetons = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[0] for page in pages]
    assert jetons[0] != jetons[1]
    assert pages[0].replace(jetons[0], "") == pages[1].replace(jetons[1], "")
    reponse = visiteurs[1].post(_url(invitations[1]), {**DONNEES, "csrfmiddlewaretoken": jetons[1]})
    assert "Merci, votre réponse est enregistrée" in reponse.content.decode()
    # Answered: the cached page is no longer served at that address.
    assert visiteurs[1].get(_url(invitations[1])).status_code == 410
