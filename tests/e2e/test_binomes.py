"""Browser journeys of the pairs: the committee matches and validates; the pair commits; a member asks to stop."""

import io
import itertools
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from binomes.matrice import calculer_matrice
from binomes.models import Binome, Proposition, StatutBinome
from mentorat.demo import MOT_DE_PASSE_DEMO
from mentorat.models import Promotion, Utilisateur
from mentorat.rules import compte_du_comite
from mentorat.templatetags.francais import de
from tests.binomes.conftest import mentor_retenu, mentore_retenu
from tests.factories import MOT_DE_PASSE, BinomeFactory, IngenieurFactory, PiloteFactory, PromotionFactory

from .connexion import passer_le_second_facteur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def se_connecter(page, live_server, utilisateur, suite: str = "/", mot_de_passe: str = MOT_DE_PASSE):
    page.goto(f"{live_server.url}/compte/connexion/?next={suite}")
    page.get_by_label("Adresse électronique").fill(utilisateur.email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    if compte_du_comite(utilisateur):
        passer_le_second_facteur(page, utilisateur)


def test_le_comite_propose_modifie_et_valide_l_appariement(page, live_server):
    promotion = PromotionFactory(nom="2031/2032")
    pilote = PiloteFactory(prenom="Hélène", nom="Pilote")
    IngenieurFactory(prenom="Ingrid", nom="Ingénieure")
    mentore_retenu(promotion, utilisateur__prenom="Anne", utilisateur__nom="Aubert", departement="33", corps="DH")
    mentore_retenu(promotion, utilisateur__prenom="Bruno", utilisateur__nom="Bernard", departement="33", corps="DS")
    mentor_retenu(promotion, utilisateur__prenom="Xavier", utilisateur__nom="Xenakis", departement="33", corps="DS")
    mentor_retenu(promotion, utilisateur__prenom="Yasmine", utilisateur__nom="Yilmaz", departement="33", corps="DH")

    se_connecter(page, live_server, pilote, "/admin/")
    # The programme dashboard leads to the matching screen of the promotion it shows.
    page.get_by_role("link", name="Former les binômes").click()
    expect(page.get_by_role("heading", name="Appariement de la promotion 2031/2032")).to_be_visible()
    page.get_by_role("button", name="Proposer un appariement").click()

    lignes = page.locator("#proposition tbody tr")
    expect(lignes).to_have_count(2)
    expect(lignes.filter(has_text="Anne Aubert")).to_contain_text("Yasmine Yilmaz")
    expect(page.locator("#proposition")).to_contain_text("Thèmes : aucun thème attendu")

    # Swap the two mentors, then take Bruno's line out and put it back by hand.
    page.get_by_label("Échanger la ligne d'Anne Aubert").check()
    page.get_by_label("Échanger la ligne de Bruno Bernard").check()
    page.get_by_role("button", name="Échanger les mentors des deux lignes cochées").click()
    expect(page.locator("#proposition tbody tr").filter(has_text="Anne Aubert")).to_contain_text("Xavier Xenakis")

    page.get_by_role("button", name="Retirer la ligne de Bruno Bernard").click()
    expect(page.locator("#laisses-de-cote")).to_contain_text("Bruno Bernard")
    page.get_by_label("Mentoré·e").select_option(label="Bruno Bernard")
    page.get_by_label(re.compile(r"^Mentor\W*$")).select_option(label="Yasmine Yilmaz")
    page.get_by_role("button", name="Ajouter ce binôme").click()
    expect(page.get_by_text("Binôme ajouté à la proposition et verrouillé.")).to_be_visible()

    page.get_by_label("Motif de la décision du comité").fill("Choix du comité après échange")
    page.get_by_role("button", name="Valider les binômes proposés").click()

    expect(page.get_by_text("Les binômes sont validés")).to_be_visible()
    expect(page.locator("#binomes-valides")).to_contain_text("Anne Aubert avec Xavier Xenakis")
    expect(page.locator("#binomes-valides")).to_contain_text("Bruno Bernard avec Yasmine Yilmaz")
    assert sorted((b.statut, b.decide_par_id) for b in Binome.objects.all()) == [
        (StatutBinome.PROPOSE, pilote.pk),
        (StatutBinome.PROPOSE, pilote.pk),
    ]
    assert len(mail.outbox) == 4


@pytest.mark.lent
def test_le_comite_apparie_la_promotion_de_demonstration(page, live_server):
    call_command("demo", stdout=io.StringIO())
    promotion = Promotion.objects.get(est_courante=True)
    pilote = Utilisateur.objects.get(email="pilote@mentorat.example.fr")
    mail.outbox.clear()

    se_connecter(page, live_server, pilote, "/admin/binomes/binome/appariement/", MOT_DE_PASSE_DEMO)
    page.get_by_role("link", name=promotion.nom).click()
    # The demo holds a draft already: computed again.
    page.get_by_role("button", name="Calculer à nouveau la proposition").click()
    expect(page.get_by_text("Proposition calculée")).to_be_visible()
    lignes = page.locator("#proposition tbody tr")
    nombre = lignes.count()
    assert nombre >= 3
    premiere, seconde, mentor_de_la_seconde = _deux_lignes_echangeables(promotion)

    # Edit: swap the mentors of two lines, take the first out and put it back by hand.
    page.get_by_label(f"Échanger la ligne {de(premiere)}").check()
    page.get_by_label(f"Échanger la ligne {de(seconde)}").check()
    page.get_by_role("button", name="Échanger les mentors des deux lignes cochées").click()
    expect(page.get_by_text("Les mentors des deux lignes ont été échangés.")).to_be_visible()
    expect(lignes.filter(has_text=premiere)).to_contain_text(mentor_de_la_seconde)
    page.get_by_role("button", name=f"Retirer la ligne {de(premiere)}").click()
    expect(page.locator("#laisses-de-cote")).to_contain_text(premiere)
    page.get_by_label("Mentoré·e").select_option(label=premiere)
    page.get_by_label(re.compile(r"^Mentor\W*$")).select_option(label=mentor_de_la_seconde)
    page.get_by_role("button", name="Ajouter ce binôme").click()
    expect(page.get_by_text("Binôme ajouté à la proposition et verrouillé.")).to_be_visible()
    expect(lignes).to_have_count(nombre)

    page.get_by_label("Motif de la décision du comité").fill("Revue en comité de la proposition de démonstration")
    page.get_by_role("button", name="Valider les binômes proposés").click()

    expect(page.get_by_text("Les binômes sont validés")).to_be_visible()
    expect(page.locator("#binomes-valides tbody tr")).to_have_count(nombre)
    binomes = Binome.objects.filter(promotion=promotion)
    assert {(b.statut, b.decide_par_id, b.motif_decision) for b in binomes} == {
        (StatutBinome.PROPOSE, pilote.pk, "Revue en comité de la proposition de démonstration")
    }
    assert binomes.get(mentore__utilisateur__nom=premiere.split()[-1]).mentor.utilisateur.get_full_name() == (
        mentor_de_la_seconde
    )
    assert len([m for m in mail.outbox if m.subject == f"Mentorat {promotion.nom} : votre binôme"]) == 2 * nombre


def _deux_lignes_echangeables(promotion) -> tuple[str, str, str]:
    """Two proposed lines whose mentors may be swapped (no exclusion either way): their mentees' names and the
    second mentor's. Which optimal proposal comes out among equal ones is the solver's choice, not the test's."""
    matrice = calculer_matrice(promotion)
    index_mentore, index_mentor = matrice.index()
    lignes = list(Proposition.objects.get(promotion=promotion).lignes.select_related("mentore__utilisateur", "mentor"))
    for a, b in itertools.combinations(lignes, 2):
        i, j = index_mentore[a.mentore_id], index_mentore[b.mentore_id]
        if matrice.codes[i, index_mentor[b.mentor_id]] == 0 and matrice.codes[j, index_mentor[a.mentor_id]] == 0:
            nom = a.mentore.utilisateur.get_full_name(), b.mentore.utilisateur.get_full_name()
            return *nom, b.mentor.utilisateur.get_full_name()
    raise AssertionError("Aucune paire de lignes échangeable dans la proposition de démonstration.")


def test_le_binome_confirme_ensemble_au_lancement_puis_l_arret_est_demande_et_enregistre(page, live_server, browser):
    """On the launch day each member signs; both confirm together, the pair is active. Later the mentee asks to
    stop; the referent sees it first on the dashboard and records it from the pair's tracking page."""
    referent = IngenieurFactory(prenom="Ingrid", nom="Ingénieure")
    promotion = PromotionFactory(journee_lancement=timezone.localdate())
    binome = BinomeFactory(promotion=promotion, referent=referent, statut=StatutBinome.PROPOSE)
    BinomeFactory(promotion=promotion, referent=referent)  # another pair, on track

    onglets = []
    for membre in binome.membres():
        contexte = browser.new_context(locale="fr-FR")
        onglet = contexte.new_page()
        se_connecter(onglet, live_server, membre, "/espace/")
        expect(onglet.get_by_role("heading", name="Mon binôme", level=1)).to_be_visible()
        expect(onglet.locator("#referent")).to_contain_text("Ingrid Ingénieure")
        expect(onglet.locator("#arret-apres-confirmation")).to_be_visible()  # no stop before confirming
        # DSFR checkboxes are drawn by their label, which is what a person clicks.
        onglet.get_by_text("J'ai lu la charte de déontologie et d'engagements réciproques et je la signe.").click()
        onglet.get_by_role("button", name="Signer la charte").click()
        expect(onglet.get_by_text("Vous avez signé la charte.")).to_be_visible()
        onglets.append((contexte, onglet))

    # Side by side at the launch day: one confirms, the pair waits for the other, then is active.
    premier, second = (onglet for _contexte, onglet in onglets)
    for onglet in (premier, second):
        onglet.reload()
        onglet.get_by_text(re.compile("Je confirme qu'il n'existe")).click()
        onglet.get_by_text("Je m'engage volontairement dans ce binôme pour l'année du programme.").click()
        onglet.get_by_role("button", name="Confirmer mon engagement").click()
        expect(onglet.get_by_text("Votre engagement est enregistré.")).to_be_visible()
        if onglet is premier:
            expect(premier.locator("#confirmation-en-attente")).to_be_visible()
            expect(premier.locator("#statut-binome")).to_have_text("Proposé")
    expect(second.locator("#statut-binome")).to_have_text("Actif")
    for contexte, _onglet in onglets:
        contexte.close()

    se_connecter(page, live_server, binome.mentore.utilisateur, "/espace/")
    page.get_by_text("Changement de poste ou de situation").click()
    page.get_by_role("button", name="Demander l'arrêt").click()
    expect(page.get_by_text("Votre demande d'arrêt est transmise à votre ingénieur référent.")).to_be_visible()
    expect(page.locator("#arret-demande")).to_contain_text("dernière rencontre")
    assert [m.to for m in mail.outbox][-3:] == [
        [referent.email],
        [binome.mentor.utilisateur.email],
        [binome.mentore.utilisateur.email],
    ]
    mail.outbox.clear()
    page.context.clear_cookies()

    se_connecter(page, live_server, referent, "/suivi/")
    premiere_ligne = page.locator("#tableau-de-bord tbody tr").first
    expect(premiere_ligne).to_contain_text("Arrêt demandé")
    premiere_ligne.get_by_role("link", name=str(binome)).click()
    expect(page.locator("#arret-demande")).to_contain_text("Changement de poste ou de situation")
    page.get_by_role("link", name="Enregistrer l'arrêt").click()
    page.get_by_label("Date de l'arrêt").fill(timezone.localdate().isoformat())
    # The member's reason comes checked; the referent may settle on another after talking with the pair.
    expect(page.get_by_label("Changement de poste ou de situation")).to_be_checked()
    page.get_by_text("La relation ne fonctionne pas", exact=True).click()
    page.get_by_text("Le binôme n'a pas tenu de dernière rencontre", exact=True).click()
    page.get_by_label("Pourquoi aucune dernière rencontre").fill("Prise de poste immédiate à l'étranger.")
    page.get_by_role("button", name="Enregistrer l'arrêt").click()

    expect(page.get_by_text("L'arrêt du binôme est enregistré")).to_be_visible()
    expect(page.locator("#arret")).to_contain_text("Prise de poste immédiate à l'étranger.")
    arrete = Binome.objects.get(pk=binome.pk)
    assert (arrete.statut, arrete.motif_arret) == (StatutBinome.ARRETE, "relation")
    destinataires = sorted(m.to[0] for m in mail.outbox)
    # Each member: the stop recorded, and the end-of-pair questionnaire.
    assert destinataires == sorted([m.email for m in binome.membres()] * 2)


def test_un_membre_d_un_autre_binome_recoit_404(page, live_server):
    promotion = PromotionFactory()
    binome = BinomeFactory(promotion=promotion)
    intrus = BinomeFactory(promotion=promotion).mentore.utilisateur

    se_connecter(page, live_server, intrus, "/espace/")
    reponse = page.goto(f"{live_server.url}/espace/binome/{binome.pk}/")

    assert reponse.status == 404


def test_un_membre_de_binome_n_atteint_pas_l_ecran_d_appariement(page, live_server):
    binome = BinomeFactory()

    se_connecter(page, live_server, binome.mentor.utilisateur, "/espace/")
    page.goto(f"{live_server.url}/admin/binomes/binome/appariement/{binome.promotion_id}/")

    expect(page).to_have_url(re.compile("/admin/login/"))
    assert not page.get_by_role("button", name="Proposer un appariement").is_visible()
