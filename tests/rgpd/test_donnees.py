"""A person downloads their own data (JSON, PDF); the privacy page states what the code applies."""

import datetime
import html
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from binomes.models import Binome, StatutBinome
from candidatures.models import Statut
from evaluation.models import ReponseEnAttente, Valeur
from rgpd.models import DemandeEffacement
from tests.factories import BinomeFactory, CandidatureFactory, MentorFactory, PromotionFactory
from tests.suivi.factories import RencontreFactory


def _json(client) -> dict:
    reponse = client.get(reverse("rgpd:telecharger_json"))
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    assert reponse["Content-Disposition"].startswith('attachment; filename="mes-donnees-mentorat-')
    return json.loads(reponse.content)


def _texte_pdf(contenu: bytes) -> str:
    # French typography puts non-breaking spaces before « : »: spaces are normalised before comparing.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages).split())


def test_json_du_membre_d_un_binome(client, passe):
    mentore = passe.binome.mentore.utilisateur
    DemandeEffacement.objects.create(utilisateur=mentore, message="Plus tard.")
    client.force_login(mentore)

    donnees = _json(client)

    assert donnees["compte"]["adresse_electronique"] == mentore.email
    assert donnees["compte"]["nom"] == "Mentorée"
    [candidature] = donnees["candidatures"]
    assert (candidature["motivation"], candidature["departement"]) == (
        "Ma première direction, à Pau.",
        "64 – Pyrénées-Atlantiques",
    )
    assert candidature["statut"] == "Retenue"
    [binome] = donnees["binomes"]
    assert binome["role"] == "Mentoré·e"
    assert binome["autre_membre"]["nom"] == "Marc Mentorin"
    assert [r["date"] for r in binome["rencontres"]] == [
        (passe.promotion.journee_lancement + datetime.timedelta(weeks=s)).isoformat() for s in (2, 8)
    ]
    assert binome["rencontres"][0]["themes"] == ["Management des équipes"]
    assert donnees["questionnaires"] == [
        {"questionnaire": "Questionnaire de fin de programme", "promotion": passe.promotion.nom, "a_repondu": True}
    ]
    assert [d["statut"] for d in donnees["demandes_effacement"]] == ["En attente"]


def test_jamais_les_reponses_aux_questionnaires(client, passe):
    client.force_login(passe.binome.mentore.utilisateur)
    # The answer is in the database, in the response table or still in the campaign's pool.
    assert (
        Valeur.objects.filter(texte="Très utile.").exists()
        or ReponseEnAttente.objects.filter(valeurs__icontains="Très utile.").exists()
    )

    assert "Très utile." not in client.get(reverse("rgpd:telecharger_json")).content.decode()
    assert "Très utile." not in _texte_pdf(client.get(reverse("rgpd:telecharger_pdf")).content)


def test_rien_des_autres(client, passe):
    client.force_login(passe.non_retenue.utilisateur)

    contenu = client.get(reverse("rgpd:telecharger_json")).content.decode()

    assert "Nonretenue" in contenu
    assert "Mentorée" not in contenu and "Sansbinome" not in contenu
    assert json.loads(contenu)["binomes"] == []


def test_pdf_lisible_en_francais(client, passe):
    client.force_login(passe.binome.mentore.utilisateur)

    reponse = client.get(reverse("rgpd:telecharger_pdf"))

    assert reponse["Content-Type"] == "application/pdf"
    texte = _texte_pdf(reponse.content)
    assert "Mes données personnelles" in texte
    assert "Adresse électronique lea.mentoree@exemple.fr" in texte
    assert "Motivation Ma première direction, à Pau." in texte
    assert "Autre membre Marc Mentorin" in texte
    assert "Management des équipes" in texte
    assert "Questionnaire de fin de programme" in texte


@pytest.mark.parametrize("nombre", [1, 6])
def test_nombre_constant_de_requetes(client, nombre, django_assert_num_queries, ingenieur):
    """Session, user with their groups (the committee's session rule) (2), then: calendar link, applications, their
    themes, pairs, their meetings, the meetings' themes, transmissions, the member's commitments, invitations,
    collective times' participations, erasure requests (11)."""
    mentor = MentorFactory(statut=Statut.RETENUE)
    for _ in range(nombre):
        promotion = PromotionFactory(est_courante=False)
        candidature = CandidatureFactory(utilisateur=mentor.utilisateur, promotion=promotion, statut=Statut.RETENUE)
        binome = Binome.objects.create(
            promotion=promotion,
            mentor=candidature,
            mentore=CandidatureFactory(promotion=promotion),
            referent=ingenieur,
            decide_par=ingenieur,
            statut=StatutBinome.TERMINE,
        )
        RencontreFactory(binome=binome)
    client.force_login(mentor.utilisateur)

    with django_assert_num_queries(13):
        assert len(_json(client)["binomes"]) == nombre


def test_la_page_mes_donnees(client, candidat):
    client.force_login(candidat.utilisateur)

    page = client.get(reverse("rgpd:mes_donnees")).content.decode()

    assert reverse("rgpd:telecharger_pdf") in page and reverse("rgpd:telecharger_json") in page
    assert "Demander l'effacement" in page


def test_la_page_de_confidentialite_dit_les_durees_des_reglages(client, settings, promotion):
    settings.CONSERVATION_CANDIDATURES_ANNEES = 3
    settings.CONSERVATION_PARTICIPANTS_ANNEES = 1
    settings.CONSERVATION_JOURNAL_JOURS = 180

    page = " ".join(client.get(reverse("donnees_personnelles")).content.decode().split())

    assert "est conservée 3 ans après la clôture des candidatures" in page
    assert "puis 1 an après la journée de bilan" in page
    assert "l'historique de l'administration sont conservés 180 jours" in html.unescape(page)
    assert "approuve la liste, puis les données sont anonymisées" in page
    assert promotion.email_contact in page
    assert reverse("rgpd:mes_donnees") in page


def test_la_page_de_confidentialite_dit_la_purge_automatique(client, settings, db):
    settings.PURGE_AUTOMATIQUE = True

    page = " ".join(client.get(reverse("donnees_personnelles")).content.decode().split())

    assert "est anonymisé automatiquement" in page
    assert "approuve la liste" not in page


@pytest.mark.django_db
def test_les_objectifs_sont_dans_les_donnees_de_chaque_membre(client):
    binome = BinomeFactory(objectifs=["Objectif du binôme"], mentore__objectifs=["Objectif de ma candidature"])

    client.force_login(binome.mentore.utilisateur)
    de_la_mentoree = _json(client)
    pdf = _texte_pdf(client.get(reverse("rgpd:telecharger_pdf")).content)
    client.force_login(binome.mentor.utilisateur)
    du_mentor = _json(client)

    assert de_la_mentoree["candidatures"][0]["objectifs"] == ["Objectif de ma candidature"]
    assert de_la_mentoree["binomes"][0]["objectifs_du_binome"] == ["Objectif du binôme"]
    assert "Objectif de ma candidature" in pdf and "Objectif du binôme" in pdf
    assert du_mentor["candidatures"][0]["objectifs"] == []
    assert du_mentor["binomes"][0]["objectifs_du_binome"] == ["Objectif du binôme"]
