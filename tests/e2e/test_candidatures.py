"""Browser journeys of the applications: apply as mentee or mentor, an ineligible mentor, the committee's review."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from candidatures.models import Candidature, Statut, Theme
from tests.factories import MOT_DE_PASSE, CandidatureFactory, MentorFactory, PromotionFactory, ThemeFactory

from .connexion import passer_le_second_facteur
from .test_binomes import se_connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def remplir_commun(page, *, prenom, nom, email, corps="DH"):
    page.get_by_label("Prénom").fill(prenom)
    page.locator("#id_nom").fill(nom)
    page.get_by_label("Adresse électronique professionnelle").fill(email)
    page.locator("#id_password1").fill("Une-phrase-de-passe-2025")
    page.get_by_label("Confirmation du mot de passe").fill("Une-phrase-de-passe-2025")
    page.get_by_label("Votre corps").select_option(corps)
    page.get_by_label("Fonction actuelle").fill("Directrice adjointe")
    page.get_by_label("Établissement d'exercice").fill("Centre hospitalier de Dax")
    page.get_by_role("radio", name="Sanitaire").check(force=True)
    page.get_by_label("Département de l'établissement").select_option("40")
    page.get_by_label("Dialogue social").check(force=True)
    page.get_by_label("Votre motivation").fill("Partager et apprendre.")
    page.get_by_role("radio", name="Les deux").check(force=True)
    page.get_by_label("J'ai lu la charte de déontologie").check(force=True)
    page.get_by_label("J'accepte que le CNG traite ces données").check(force=True)


# Transactional tests flush the themes of the data migration: each test creates the one it picks.


def test_mentore_eligible_candidate_et_recoit_le_courriel(page, live_server, mailoutbox):
    promotion = PromotionFactory()
    ThemeFactory(nom="Dialogue social")
    page.goto(f"{live_server.url}/candidater/mentore/")

    remplir_commun(page, prenom="Aurore", nom="Delabarre", email="aurore@ch-dax.fr")
    page.get_by_label("Date de prise de votre premier poste").fill(promotion.date_premier_poste.isoformat())
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page.get_by_role("heading", name="Ma candidature", level=1)).to_be_visible()
    expect(page.get_by_text("Votre candidature est enregistrée.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Centre hospitalier de Dax")
    assert Candidature.objects.get().region == "Nouvelle-Aquitaine"
    assert [m.to for m in mailoutbox] == [["aurore@ch-dax.fr"]]


def test_mentor_eligible_candidate_et_recoit_le_courriel(page, live_server, mailoutbox):
    PromotionFactory()
    ThemeFactory(nom="Dialogue social")
    page.goto(f"{live_server.url}/candidater/mentor/")

    remplir_commun(page, prenom="Bastien", nom="Courtemanche", email="bastien@ch-dax.fr")
    page.get_by_label("Ma carrière est gérée par le Centre national de gestion").check(force=True)
    page.get_by_label("Depuis quand exercez-vous des fonctions de direction ?").fill("2001-09-01")
    page.get_by_label("Combien de postes de direction distincts").fill("3")
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page.get_by_text("Votre candidature est enregistrée.")).to_be_visible()
    assert Candidature.objects.get().role == "mentor"
    assert mailoutbox[0].subject.startswith("Votre candidature au mentorat")


def test_mentor_quatorze_ans_voit_la_regle_et_garde_ses_reponses(page, live_server):
    promotion = PromotionFactory()
    reference = promotion.date_reference_anciennete
    debut = reference.replace(year=reference.year - 14)
    ThemeFactory(nom="Dialogue social")
    page.goto(f"{live_server.url}/candidater/mentor/")

    remplir_commun(page, prenom="Bastien", nom="Courtemanche", email="bastien@ch-dax.fr")
    page.get_by_label("Ma carrière est gérée par le Centre national de gestion").check(force=True)
    page.get_by_label("Depuis quand exercez-vous des fonctions de direction ?").fill(debut.isoformat())
    page.get_by_label("Combien de postes de direction distincts").fill("3")
    page.get_by_role("button", name="Envoyer ma candidature").click()

    # Beside the field, and in the summary at the top of the form.
    erreur = "Il faut au moins 15 ans de fonctions de direction"
    expect(page.locator("#id_debut_fonctions_direction-desc-error")).to_contain_text(erreur)
    expect(page.get_by_role("alert").get_by_role("link", name=erreur)).to_be_visible()
    expect(page.get_by_label("Depuis quand exercez-vous des fonctions de direction ?")).to_have_value(debut.isoformat())
    expect(page.get_by_label("Établissement d'exercice")).to_have_value("Centre hospitalier de Dax")
    expect(page.get_by_label("Votre motivation")).to_have_value("Partager et apprendre.")
    assert Candidature.objects.count() == 0


@pytest.mark.horloges
def test_le_comite_filtre_retient_et_exporte(page, live_server, pilote, mailoutbox):
    promotion = PromotionFactory()
    mentore = CandidatureFactory(promotion=promotion, utilisateur__nom="Mentorée", statut=Statut.RECEVABLE)
    MentorFactory(promotion=promotion, utilisateur__nom="Mentorix", statut=Statut.RECEVABLE)
    page.goto(f"{live_server.url}/compte/connexion/")
    page.get_by_label("Adresse électronique").fill(pilote.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    passer_le_second_facteur(page, pilote)

    page.goto(f"{live_server.url}/admin/candidatures/candidature/")
    expect(page.locator("#comptes-par-role")).to_contain_text("1 mentoré·e et 1 mentor.")
    page.get_by_role("link", name="Mentoré·e", exact=True).click()
    expect(page.locator("#comptes-par-role")).to_contain_text("1 mentoré·e et 0 mentor.")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("retenir")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("1 candidature retenue.")).to_be_visible()
    mentore.refresh_from_db()
    assert (mentore.statut, mentore.decide_par) == (Statut.RETENUE, pilote)
    assert len(mailoutbox) == 1

    page.get_by_role("link", name="Exporter").click()
    page.get_by_label("Format").select_option(label="xlsx")
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Exporter").click()
    # Dated by the Paris day, as the committee lives it (not the UTC one, yesterday's until 1 or 2 a.m.).
    assert telechargement.value.suggested_filename == f"candidatures-{timezone.localdate().isoformat()}.xlsx"


def test_double_clic_n_envoie_qu_une_candidature(page, live_server, mailoutbox):
    promotion = PromotionFactory()
    ThemeFactory(nom="Dialogue social")
    page.goto(f"{live_server.url}/candidater/mentore/")
    remplir_commun(page, prenom="Aurore", nom="Delabarre", email="aurore@ch-dax.fr")
    page.get_by_label("Date de prise de votre premier poste").fill(promotion.date_premier_poste.isoformat())

    envois = []
    page.on("request", lambda requete: envois.append(requete.url) if requete.method == "POST" else None)

    # A second click while the first submission is being processed (creating the account takes a moment).
    envoyer = page.get_by_role("button", name="Envoyer ma candidature")
    envoyer.scroll_into_view_if_needed()
    bouton = envoyer.bounding_box()
    centre = (bouton["x"] + bouton["width"] / 2, bouton["y"] + bouton["height"] / 2)
    page.mouse.click(*centre)
    page.wait_for_timeout(100)
    page.mouse.click(*centre)

    expect(page.get_by_text("Votre candidature est enregistrée.")).to_be_visible()
    assert envois == [f"{live_server.url}/candidater/mentore/"]
    expect(page.get_by_text("Un compte existe déjà")).to_have_count(0)
    assert Candidature.objects.count() == 1
    assert len(mailoutbox) == 1


def test_formulaire_rempli_au_clavier_seul(page, live_server, mailoutbox):
    """Every control is reached with Tab and operated with the keyboard: typing, arrows, space, Enter."""
    # Day and month alike: Chromium orders the date's parts after its own UI language, not the page's locale.
    jour = datetime.date(timezone.localdate().year + 1, 3, 3)
    PromotionFactory(date_premier_poste=jour)
    ThemeFactory(nom="Dialogue social")
    page.goto(f"{live_server.url}/candidater/mentore/")
    page.locator("#id_prenom").focus()
    clavier = page.keyboard

    def suivant(texte=None, touche=None):
        if texte is not None:
            clavier.type(texte)
        if touche:
            clavier.press(touche)
        clavier.press("Tab")

    suivant("Aurore")
    suivant("Delabarre")
    suivant("aurore@ch-dax.fr")
    suivant("Une-phrase-de-passe-2025")
    suivant("Une-phrase-de-passe-2025")
    expect(page.locator("#id_corps")).to_be_focused()
    suivant(touche="ArrowDown")  # the first corps after the blank choice
    suivant("Directrice adjointe")
    suivant("Centre hospitalier de Dax")
    expect(page.locator("#id_type_etablissement_0")).to_be_focused()
    suivant(touche="Space")
    suivant("GHT Landes")
    expect(page.locator("#id_departement")).to_be_focused()
    suivant(touche="4")  # typing selects the first département starting with 4: 40, Landes
    suivant()  # telephone, optional
    expect(page.locator("#id_date_premier_poste")).to_be_focused()
    suivant(jour.strftime("%d%m%Y"))
    suivant()  # the date input's own calendar button
    premier_theme = page.locator("#id_themes_0")
    expect(premier_theme).to_be_focused()
    theme_choisi = int(premier_theme.get_attribute("value"))
    suivant(touche="Space")
    for _ in range(Theme.objects.filter(actif=True).count() - 1):  # each theme is a stop of its own
        suivant()
    expect(page.locator("#id_objectif_1")).to_be_focused()
    suivant("Prendre ma place dans l'équipe de direction")
    suivant("Conduire un premier dialogue social")
    suivant()  # the third objective, optional
    expect(page.get_by_label("Votre motivation")).to_be_focused()
    suivant("Partager et apprendre.")
    expect(page.locator("#id_mode_rencontre_0")).to_be_focused()
    suivant(touche="Space")
    suivant()  # professional stakes, optional
    expect(page.locator("#id_charte_acceptee")).to_be_focused()
    suivant(touche="Space")
    suivant(touche="Space")
    expect(page.get_by_role("button", name="Envoyer ma candidature")).to_be_focused()
    clavier.press("Enter")

    expect(page.get_by_text("Votre candidature est enregistrée.")).to_be_visible()
    candidature = Candidature.objects.get()
    assert (candidature.corps, candidature.departement, candidature.date_premier_poste) == ("DH", "40", jour)
    assert [theme.pk for theme in candidature.themes.all()] == [theme_choisi]
    assert candidature.objectifs == [
        "Prendre ma place dans l'équipe de direction",
        "Conduire un premier dialogue social",
    ]
    assert len(mailoutbox) == 1


def test_un_ancien_mentor_candidate_a_nouveau_en_une_etape(page, live_server):
    ancienne = PromotionFactory(
        est_courante=False, journee_lancement=timezone.localdate() - datetime.timedelta(days=400)
    )
    theme = ThemeFactory(nom="Dialogue social")
    ancienne_candidature = MentorFactory(
        promotion=ancienne, statut=Statut.RETENUE, etablissement="CHU de Poitiers", themes=[theme]
    )
    promotion = PromotionFactory()
    se_connecter(page, live_server, ancienne_candidature.utilisateur, suite="/candidature/")

    page.get_by_role("link", name="Candidater à nouveau").click()
    expect(page.get_by_label("Établissement d'exercice")).to_have_value("CHU de Poitiers")
    expect(page.get_by_label("Dialogue social")).to_be_checked()
    page.get_by_label("J'ai lu la charte de déontologie").check(force=True)
    page.get_by_label("J'accepte que le CNG traite ces données").check(force=True)
    page.get_by_role("button", name="Envoyer ma candidature").click()

    expect(page.get_by_text("Votre candidature est enregistrée.")).to_be_visible()
    nouvelle = Candidature.objects.get(promotion=promotion)
    assert (nouvelle.role, nouvelle.etablissement) == ("mentor", "CHU de Poitiers")
    assert [t.nom for t in nouvelle.themes.all()] == ["Dialogue social"]
