"""Browser journeys of the collective times: a participant answers the launch day's invitation; an engineer
records who came."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from suivi import evenements
from suivi.models import EvenementCollectif, Participation, ReponseInvitation, TypeEvenement
from tests.factories import BinomeFactory, IngenieurFactory, PromotionFactory

from .test_suivi import _se_connecter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _journee_de_lancement():
    promotion = PromotionFactory()  # launch day 60 days ahead
    BinomeFactory(promotion=promotion)
    debut = timezone.make_aware(datetime.datetime.combine(promotion.journee_lancement, datetime.time(9, 30)))
    return EvenementCollectif.objects.create(
        promotion=promotion,
        type=TypeEvenement.LANCEMENT,
        debut=debut,
        fin=debut + datetime.timedelta(hours=7),
        lieu="CNG, 21 rue Leblanc, 75015 Paris",
        programme="Accueil des binômes ; postures de mentor et de mentoré.",
    )


def test_un_mentore_repond_a_l_invitation_de_la_journee_de_lancement(page, live_server, mailoutbox):
    evenement = _journee_de_lancement()
    evenements.inviter(evenement=evenement)
    mentore = evenement.promotion.binomes.get().mentore.utilisateur
    (invitation,) = [m for m in mailoutbox if m.to == [mentore.email]]
    assert [a[0] for a in invitation.attachments] == ["invitation.ics"]
    chemin = re.search(r"https?://[^/\s]+(/espace/temps-collectifs/)", invitation.body).group(1)
    _se_connecter(page, live_server, mentore)

    page.goto(live_server.url + chemin)
    carte = page.locator(f"#evenement-{evenement.pk}")
    expect(carte).to_contain_text("CNG, 21 rue Leblanc, 75015 Paris")
    expect(carte).to_contain_text("de 09h30 à 16h30")
    expect(carte).to_contain_text("Vous n'avez pas encore répondu.")
    carte.get_by_text("Je serai présent·e").click()
    carte.get_by_role("button", name="Enregistrer ma réponse").click()

    expect(page.get_by_text("Votre réponse est enregistrée : présent·e pour « Journée de lancement")).to_be_visible()
    expect(page.locator(f"#evenement-{evenement.pk}")).to_contain_text("Votre réponse : Présent·e.")
    assert Participation.objects.get(utilisateur=mentore).reponse == ReponseInvitation.PRESENT


def test_un_ingenieur_note_les_presences(page, live_server):
    evenement = _journee_de_lancement()
    evenements.inviter(evenement=evenement)
    binome = evenement.promotion.binomes.get()
    _se_connecter(page, live_server, IngenieurFactory())

    page.goto(f"{live_server.url}/suivi/temps-collectifs/")
    page.locator("#tableau-evenements").get_by_role("link", name=re.compile("Présences")).first.click()
    page.get_by_label(f"Présence de {binome.mentore.utilisateur}").select_option(label="Présent·e")
    page.get_by_label(f"Présence de {binome.mentor.utilisateur}").select_option(label="Absent·e")
    page.get_by_role("button", name="Enregistrer les présences").click()

    expect(page.get_by_text("Présences enregistrées : 2 modifications.")).to_be_visible()
    expect(page.get_by_text("présents constatés : 1")).to_be_visible()
