"""Browser journey of personal-data rights: a pair member downloads their data and asks for its erasure; an
engineer accepts it in the admin."""

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from binomes.models import Binome, StatutBinome
from mentorat.models import Utilisateur
from rgpd.models import DemandeEffacement, StatutDemande
from tests.factories import MOT_DE_PASSE

from .connexion import passer_le_second_facteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _se_connecter(page, live_server, utilisateur) -> None:
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(utilisateur.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()


def test_un_membre_telecharge_ses_donnees_puis_un_ingenieur_accepte_son_effacement(
    page, live_server, binome, mentore, ingenieur, mailoutbox
):
    Binome.objects.filter(pk=binome.pk).update(statut=StatutBinome.TERMINE)
    adresse, nom = mentore.email, mentore.get_full_name()

    _se_connecter(page, live_server, mentore)
    page.get_by_role("link", name="Mes données").click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger en PDF").click()
    texte = " ".join(" ".join(p.extract_text() for p in PdfReader(telechargement.value.path()).pages).split())
    assert f"Adresse électronique {adresse}" in texte
    page.get_by_label("Message au comité (facultatif)").fill("Je quitte la fonction publique hospitalière.")
    page.get_by_role("button", name="Demander l'effacement").click()
    expect(page.get_by_text("Votre demande d'effacement est enregistrée")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").first.click()

    _se_connecter(page, live_server, ingenieur)
    passer_le_second_facteur(page, ingenieur)
    page.goto(f"{live_server.url}/admin/rgpd/demandeeffacement/")
    page.get_by_role("link", name=str(DemandeEffacement.objects.get())).click()
    expect(page.get_by_text("Je quitte la fonction publique hospitalière.")).to_be_visible()
    expect(page.get_by_text(nom).first).to_be_visible()
    page.get_by_label("Accepter : effacer les données de la personne").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_text("Acceptée : données effacées").first).to_be_visible()
    assert DemandeEffacement.objects.get().statut == StatutDemande.ACCEPTEE
    assert Utilisateur.objects.get(pk=mentore.pk).get_full_name() == f"Personne anonymisée n°{mentore.pk}"
    assert adresse in [destinataire for m in mailoutbox for destinataire in m.to]
