"""Browser journeys of the evaluation: answering from the e-mailed link; writing, publishing, downloading."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pypdf import PdfReader

from evaluation import services
from evaluation.models import Campagne, EtatSynthese, Question, Reponse, ReponseEnAttente, TypeCampagne
from evaluation.tasks import planifier_envois
from tests.evaluation.conftest import fermer, repondre_en_nombre
from tests.evaluation.factories import CampagneFactory
from tests.factories import MOT_DE_PASSE

from .connexion import passer_le_second_facteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _noter(page, code: str, valeur: str) -> None:
    page.locator(f"input[name='{code}'][value='{valeur}']").check(force=True)


def test_un_participant_repond_depuis_le_lien_du_courriel(page, live_server, binome, mentore, mailoutbox):
    CampagneFactory(promotion=binome.promotion)
    planifier_envois.delay()
    [courriel] = [m for m in mailoutbox if mentore.email in m.to]
    lien = next(mot for mot in courriel.body.split() if "/questionnaire/" in mot)

    page.goto(lien.replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_text("Il ne porte ni sur les personnes ni sur le contenu de vos échanges")).to_be_visible()
    for code in ["engagement", "satisfaction", "relation", "thematiques"]:
        _noter(page, code, "4")
    _noter(page, "recommandation", "oui")
    page.get_by_label("Qu'est-ce que le programme vous a apporté ou appris ?").fill("Prendre du recul.")
    page.get_by_role("button", name="Envoyer mes réponses").click()

    expect(page.get_by_role("heading", name="Merci, votre réponse est enregistrée")).to_be_visible()
    assert ReponseEnAttente.objects.count() == 1  # in the pool until four others have answered
    page.goto(lien.replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_role("heading", name="Votre réponse a déjà été reçue")).to_be_visible()


def test_un_participant_repond_depuis_son_espace(page, live_server, binome, mentore):
    """No e-mail at hand: the space lists the open questionnaire; answered, it says so, and not what."""
    CampagneFactory(promotion=binome.promotion, type=TypeCampagne.FIN)
    services.creer_invitations(campagne=Campagne.objects.get())

    page.goto(f"{live_server.url}/compte/connexion/?next=/espace/")
    page.get_by_label("Adresse électronique").fill(mentore.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name=re.compile("Répondre : Questionnaire de fin de programme")).click()
    for code in ["engagement", "satisfaction", "relation", "thematiques"]:
        _noter(page, code, "5")
    _noter(page, "recommandation", "oui")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Merci, votre réponse est enregistrée")).to_be_visible()

    page.goto(f"{live_server.url}/espace/")
    expect(page.locator("#questionnaires-repondus")).to_contain_text(
        "Questionnaire de fin de programme : répondu, merci."
    )
    expect(page.get_by_role("link", name=re.compile("Répondre :"))).to_have_count(0)
    # One answer: in the response table, or still waiting in the campaign's pool.
    assert Reponse.objects.count() + ReponseEnAttente.objects.count() == 1


def test_un_champ_oublie_est_signale_en_francais(page, live_server, binome, mentor, mailoutbox):
    CampagneFactory(promotion=binome.promotion)
    planifier_envois.delay()
    [courriel] = [m for m in mailoutbox if mentor.email in m.to]
    lien = next(mot for mot in courriel.body.split() if "/questionnaire/" in mot)

    page.goto(lien.replace(settings.SITE_URL, live_server.url))
    expect(page.locator("h1")).to_have_text("Questionnaire de mi-parcours")
    _noter(page, "engagement", "5")
    page.get_by_role("button", name="Envoyer mes réponses").click()

    expect(page.get_by_text("Choisissez une note de 1 à 5.").first).to_be_visible()
    expect(page.locator("input[name='engagement'][value='5']")).to_be_checked()
    assert Reponse.objects.count() == ReponseEnAttente.objects.count() == 0


def test_un_ingenieur_commente_publie_et_telecharge_le_pdf(page, live_server, binome, ingenieur, mailoutbox):
    campagne = CampagneFactory(promotion=binome.promotion)
    questions = {q.code: q for q in Question.objects.all()}
    repondre_en_nombre(campagne, questions, [("mentore", "DH", 5)] * 6 + [("mentor", "DH", 3)] * 6)
    fermer(campagne)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(ingenieur.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    passer_le_second_facteur(page, ingenieur)
    page.goto(f"{live_server.url}/evaluation/")
    page.get_by_role("link", name="Questionnaire de mi-parcours").click()
    expect(page.locator("#taux-reponse")).to_contain_text("12 réponses sur 12 personnes invitées")
    page.get_by_role("textbox", name="Commentaire des ingénieurs").fill(
        "Un programme apprécié, des rencontres à mieux planifier."
    )
    page.get_by_role("textbox", name="Extraits retenus").fill("Un regard extérieur utile.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Commentaire et extraits enregistrés.")).to_be_visible()
    page.get_by_role("button", name="Publier la synthèse").click()
    expect(page.locator("#etat-synthese")).to_have_text("Publiée")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la synthèse en PDF").click()

    assert telechargement.value.suggested_filename == f"synthese-evaluation-{campagne.pk}.pdf"
    texte = " ".join(" ".join(p.extract_text() for p in PdfReader(telechargement.value.path()).pages).split())
    assert "12 réponses sur 12 personnes invitées" in texte
    assert "Un programme apprécié, des rencontres à mieux planifier." in texte
    campagne = Campagne.objects.get(pk=campagne.pk)
    assert (campagne.etat, campagne.extraits) == (EtatSynthese.PUBLIEE, ["Un regard extérieur utile."])
    assert len(mailoutbox) == 13  # 12 invited + the engineer


def test_un_participant_lit_la_synthese_publiee_depuis_son_menu(page, live_server, binome, mentor, ingenieur):
    campagne = CampagneFactory(promotion=binome.promotion)
    services.creer_invitations(campagne=campagne)
    questions = {q.code: q for q in Question.objects.all()}
    repondre_en_nombre(campagne, questions, [("mentore", "DH", 4)] * 6)
    fermer(campagne)
    services.rediger_synthese(campagne=campagne, commentaire="Des rencontres régulières et utiles.", extraits=[])
    services.publier_synthese(campagne=campagne, par=ingenieur)

    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(mentor.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Synthèses des évaluations").click()
    page.get_by_role("link", name=f"Questionnaire de mi-parcours — {binome.promotion}").click()

    expect(page.locator("#taux-reponse")).to_contain_text("6 réponses sur 8 personnes invitées")
    expect(page.locator("svg.evaluation-graphique").first).to_be_visible()
    expect(page.get_by_text("Des rencontres régulières et utiles.")).to_be_visible()
    expect(page.get_by_role("heading", name="Réponses libres (ingénieurs seulement)")).to_have_count(0)
