"""The collective times: scheduling within the promotion, invitations with their .ics, answers, attendance."""

import datetime
import email

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from binomes.models import Binome, StatutBinome
from mentorat.models import Courriel, EntreeJournal
from suivi import evenements
from suivi.models import EvenementCollectif, Participation, ReponseInvitation, TypeEvenement
from tests.factories import BinomeFactory, IngenieurFactory, PromotionFactory

from .test_views import connecter

pytestmark = pytest.mark.django_db


def _a_paris(jour: datetime.date, heure: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


@pytest.fixture
def a_venir(db):
    """A promotion whose launch day is 60 days ahead, with two pairs and a stopped one."""
    promotion = PromotionFactory()
    referent = IngenieurFactory()
    binomes = [BinomeFactory(promotion=promotion, referent=referent) for _ in range(2)]
    BinomeFactory(promotion=promotion, referent=referent, statut=StatutBinome.ARRETE)
    return promotion, binomes


@pytest.fixture
def lancement(a_venir):
    promotion, _binomes = a_venir
    return EvenementCollectif.objects.create(
        promotion=promotion,
        type=TypeEvenement.LANCEMENT,
        debut=_a_paris(promotion.journee_lancement, 9),
        fin=_a_paris(promotion.journee_lancement, 17),
        lieu="CNG, 21 rue Leblanc, 75015 Paris",
        programme="Accueil ; posture de mentor et de mentoré ; confirmation des binômes.",
    )


def _evenement(promotion, debut, fin=None, **champs) -> EvenementCollectif:
    return EvenementCollectif(
        promotion=promotion,
        type=TypeEvenement.BILAN,
        debut=debut,
        fin=fin or debut + datetime.timedelta(hours=3),
        **champs,
    )


def test_une_date_hors_de_la_promotion_est_refusee_en_francais(a_venir):
    promotion, _ = a_venir
    apres = _a_paris(promotion.fin + datetime.timedelta(days=1), 9)

    with pytest.raises(ValidationError) as erreur:
        _evenement(promotion, apres, lieu="Paris").full_clean()

    assert "doit tomber dans l'année de la promotion" in str(erreur.value.message_dict["debut"])


def test_un_evenement_sans_lieu_ni_lien_ou_qui_finit_avant_de_commencer_est_refuse(a_venir):
    promotion, _ = a_venir
    debut = _a_paris(promotion.journee_bilan, 14)

    with pytest.raises(ValidationError) as erreur:
        _evenement(promotion, debut, fin=debut - datetime.timedelta(hours=1)).full_clean()

    assert erreur.value.message_dict["lieu"] == ["Indiquez un lieu ou un lien de visioconférence."]
    assert erreur.value.message_dict["fin"] == ["La fin doit suivre le début."]


def test_inviter_cree_une_participation_et_un_courriel_par_membre_sauf_binome_arrete(
    a_venir, lancement, mailoutbox, django_capture_on_commit_callbacks
):
    _, binomes = a_venir
    membres = sorted(u.email for b in binomes for u in b.membres())

    with django_capture_on_commit_callbacks(execute=True):
        assert evenements.inviter(evenement=lancement) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert evenements.inviter(evenement=lancement) == 0  # idempotent

    assert sorted(m.to[0] for m in mailoutbox) == membres
    assert Participation.objects.filter(evenement=lancement).count() == 4
    assert Courriel.objects.filter(cle__startswith=f"evenement-invitation:{lancement.pk}:").count() == 4


def test_l_invitation_porte_un_ics_avec_heure_de_paris_lieu_et_alarme(
    a_venir, lancement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        evenements.inviter(evenement=lancement)

    message = email.message_from_bytes(mailoutbox[0].message().as_bytes())
    pieces = [p for p in message.walk() if p.get_filename() == "invitation.ics"]
    assert [p.get_content_type() for p in pieces] == ["text/calendar"]
    agenda = Calendar.from_ical(pieces[0].get_payload(decode=True))
    assert str(agenda["method"]) == "PUBLISH"
    (vevent,) = agenda.walk("VEVENT")
    assert vevent.decoded("dtstart") == lancement.debut
    assert str(vevent["dtstart"].params["TZID"]) == "Europe/Paris"
    assert str(vevent["location"]) == "CNG, 21 rue Leblanc, 75015 Paris"
    assert str(vevent["uid"]) == lancement.uid
    (alarme,) = vevent.walk("VALARM")
    assert alarme.decoded("trigger") == -datetime.timedelta(days=1)
    assert "Accueil ; posture de mentor" in mailoutbox[0].body
    assert "Mentorat : Journée de lancement" in mailoutbox[0].subject


def test_l_ics_est_calcule_a_l_envoi(a_venir, lancement, mailoutbox, django_capture_on_commit_callbacks):
    evenements.inviter(evenement=lancement)  # queued, not sent yet (no commit callback run)
    EvenementCollectif.objects.filter(pk=lancement.pk).update(lieu="Salle déplacée, Lyon")

    with django_capture_on_commit_callbacks(execute=True):
        from mentorat.courriels import envoyer_courriel

        envoyer_courriel(courriel_id=Courriel.objects.order_by("pk")[0].pk)

    contenu = mailoutbox[0].attachments[0][1]
    assert "Salle déplacée" in contenu


def _inviter(evenement):
    evenements.inviter(evenement=evenement)
    return Participation.objects.get(
        evenement=evenement,
        utilisateur=Binome.objects.filter(promotion=evenement.promotion).first().mentore.utilisateur,
    )


def test_un_participant_repond_present_depuis_son_espace(client, lancement):
    participation = _inviter(lancement)
    connecter(client, participation.utilisateur)

    page = client.get(reverse("suivi:evenements"))
    reponse = client.post(
        reverse("suivi:repondre_evenement", args=[lancement.pk]), {f"evenement-{lancement.pk}-reponse": "present"}
    )

    assert "CNG, 21 rue Leblanc" in page.content.decode()
    assert reponse.status_code == 302
    participation.refresh_from_db()
    assert participation.reponse == ReponseInvitation.PRESENT
    suite = client.get(reponse["Location"]).content.decode()
    assert "Votre réponse est enregistrée : présent·e" in suite


def test_une_reponse_invalide_revient_en_francais(client, lancement):
    participation = _inviter(lancement)
    connecter(client, participation.utilisateur)

    reponse = client.post(
        reverse("suivi:repondre_evenement", args=[lancement.pk]), {f"evenement-{lancement.pk}-reponse": "peut-etre"}
    )

    assert reponse.status_code == 200
    assert "Choisissez « présent·e » ou « absent·e »." in reponse.content.decode()
    participation.refresh_from_db()
    assert participation.reponse == ""


def test_on_ne_repond_plus_une_fois_le_temps_commence(lancement):
    participation = _inviter(lancement)

    with pytest.raises(evenements.ReponseTardive):
        evenements.repondre(participation=participation, reponse=ReponseInvitation.ABSENT, maintenant=lancement.debut)


def test_un_non_invite_ne_peut_pas_repondre(client, lancement, utilisateur):
    _inviter(lancement)
    connecter(client, utilisateur)

    reponse = client.post(
        reverse("suivi:repondre_evenement", args=[lancement.pk]), {f"evenement-{lancement.pk}-reponse": "present"}
    )

    assert reponse.status_code == 404


def test_l_ingenieur_note_les_presences_et_c_est_journalise(client, lancement):
    participation = _inviter(lancement)
    ingenieur = IngenieurFactory()
    connecter(client, ingenieur)
    formulaires = Participation.objects.filter(evenement=lancement).order_by(
        "utilisateur__nom", "utilisateur__prenom", "pk"
    )
    donnees = {"form-TOTAL_FORMS": "4", "form-INITIAL_FORMS": "4"}
    for i, p in enumerate(formulaires):
        donnees[f"form-{i}-id"] = str(p.pk)
        donnees[f"form-{i}-present"] = "True" if p.pk == participation.pk else ""

    reponse = client.post(reverse("suivi:presences", args=[lancement.pk]), donnees)

    assert reponse.status_code == 302
    participation.refresh_from_db()
    assert (participation.present, participation.presence_notee_par) == (True, ingenieur)
    entree = EntreeJournal.objects.get(objet_id=str(lancement.pk))
    assert entree.details["operation"] == "presences"
    assert entree.details["venus"] == 1


def test_une_presence_invalide_garde_la_saisie(client, lancement):
    participation = _inviter(lancement)
    connecter(client, IngenieurFactory())
    donnees = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(participation.pk)}
    donnees["form-0-present"] = "Peut-etre"

    reponse = client.post(reverse("suivi:presences", args=[lancement.pk]), donnees)

    assert reponse.status_code == 200
    assert "Choisissez « présent·e », « absent·e » ou « non relevée »." in reponse.content.decode()
    participation.refresh_from_db()
    assert participation.present is None


def test_le_pilote_ne_voit_pas_les_presences(client, lancement, pilote):
    _inviter(lancement)
    connecter(client, pilote)

    assert client.get(reverse("suivi:presences", args=[lancement.pk])).status_code == 404
    assert client.get(reverse("suivi:evenements_suivi")).status_code == 403


@pytest.mark.parametrize("nombre", [1, 3])
def test_la_liste_des_temps_collectifs_a_un_nombre_constant_de_requetes(client, nombre, django_assert_num_queries):
    for _ in range(nombre):
        promotion = PromotionFactory(est_courante=False)
        BinomeFactory(promotion=promotion)
        evenement = _evenement(promotion, _a_paris(promotion.journee_bilan, 10), lieu="Paris")
        evenement.save()
        evenements.inviter(evenement=evenement)
    connecter(client, IngenieurFactory())
    client.get(reverse("suivi:evenements_suivi"))  # the session's first reads

    # session, user with its groups and second factor (est_ingenieur), the times with their promotion
    # and counts
    with django_assert_num_queries(3):
        reponse = client.get(reverse("suivi:evenements_suivi"))

    assert reponse.content.decode().count("Envoyer les invitations<") == nombre


@pytest.mark.parametrize("nombre", [1, 3])
def test_la_page_des_reponses_a_un_nombre_constant_de_requetes(client, nombre, django_assert_num_queries):
    promotion = PromotionFactory()
    for _ in range(nombre):
        BinomeFactory(promotion=promotion)
    participations = []
    for type_, jour in zip(TypeEvenement, [promotion.journee_lancement, promotion.evenement_mi_parcours], strict=False):
        evenement = EvenementCollectif.objects.create(
            promotion=promotion,
            type=type_,
            debut=_a_paris(jour, 10),
            fin=_a_paris(jour, 12),
            lien_visio="https://visio.example.fr/a",
        )
        participations.append(_inviter(evenement))
    connecter(client, participations[0].utilisateur)
    client.get(reverse("suivi:evenements"))

    # session, user with its groups (the header's menu), the person's participations with their time and promotion
    with django_assert_num_queries(3):
        reponse = client.get(reverse("suivi:evenements"))

    assert reponse.content.decode().count("Enregistrer ma réponse") == 2


def test_le_flux_personnel_porte_horaires_lieu_et_alarme(client, a_venir, lancement):
    _, binomes = a_venir
    mentore = binomes[0].mentore.utilisateur
    connecter(client, mentore)
    client.get(reverse("suivi:calendrier"))
    client.logout()

    reponse = client.get(reverse("suivi:ics", args=[mentore.jeton_calendrier.jeton]))

    agenda = Calendar.from_ical(reponse.content)
    premier = agenda.walk("VEVENT")[0]
    assert premier.decoded("dtstart") == lancement.debut
    assert str(premier["location"]) == lancement.lieu
    assert [a.decoded("trigger") for a in premier.walk("VALARM")] == [-datetime.timedelta(days=1)]
    assert [str(t["tzid"]) for t in agenda.walk("VTIMEZONE")] == ["Europe/Paris"]
    # The times not scheduled yet stay all-day dates.
    assert agenda.walk("VEVENT")[1].decoded("dtstart") == lancement.promotion.evenement_mi_parcours


def test_l_action_de_l_admin_envoie_les_invitations(
    client, lancement, pilote, mailoutbox, django_capture_on_commit_callbacks
):
    connecter(client, pilote)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("admin:suivi_evenementcollectif_changelist"),
            {"action": "envoyer_invitations", "_selected_action": [lancement.pk]},
            follow=True,
        )

    assert "4 invitations envoyées." in reponse.content.decode()
    assert len(mailoutbox) == 4


def test_la_reponse_et_la_presence_figurent_dans_les_donnees_personnelles(client, lancement):
    participation = _inviter(lancement)
    evenements.repondre(participation=participation, reponse=ReponseInvitation.ABSENT)
    connecter(client, participation.utilisateur)

    donnees = client.get(reverse("rgpd:telecharger_json")).json()

    assert [(t["temps_collectif"], t["reponse"], t["presence_constatee"]) for t in donnees["temps_collectifs"]] == [
        ("Journée de lancement", "Absent·e", None)
    ]
    assert client.get(reverse("rgpd:telecharger_pdf")).status_code == 200


def test_l_admin_refuse_une_date_hors_promotion_et_garde_la_saisie(client, a_venir, pilote):
    promotion, _ = a_venir
    connecter(client, pilote)
    trop_tard = (promotion.fin + datetime.timedelta(days=3)).isoformat()

    reponse = client.post(
        reverse("admin:suivi_evenementcollectif_add"),
        {
            "promotion": promotion.pk,
            "type": TypeEvenement.BILAN,
            "debut_0": trop_tard,
            "debut_1": "09:00",
            "fin_0": trop_tard,
            "fin_1": "17:00",
            "lieu": "Salle Ségur",
            "programme": "Bilan de l'année",
        },
    )

    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "La date doit tomber dans l&#x27;année de la promotion" in page
    assert 'value="Salle Ségur"' in page
    assert not EvenementCollectif.objects.exists()


def test_la_tache_quotidienne_invite_45_jours_avant_et_une_seule_fois(
    lancement, mailoutbox, django_capture_on_commit_callbacks
):
    from suivi.tasks import inviter_aux_temps_collectifs

    with time_machine.travel(lancement.debut - datetime.timedelta(days=46)):
        assert inviter_aux_temps_collectifs.delay().get() == 0
    with time_machine.travel(lancement.debut - datetime.timedelta(days=44)):
        with django_capture_on_commit_callbacks(execute=True):
            assert inviter_aux_temps_collectifs.delay().get() == 4
        assert inviter_aux_temps_collectifs.delay().get() == 0

    assert len(mailoutbox) == 4


def test_une_reponse_apres_le_debut_est_refusee_avec_un_message(client, lancement):
    participation = _inviter(lancement)

    with time_machine.travel(lancement.debut + datetime.timedelta(minutes=1)):
        connecter(client, participation.utilisateur)  # sessions last two weeks: signed in on the day
        reponse = client.post(
            reverse("suivi:repondre_evenement", args=[lancement.pk]),
            {f"evenement-{lancement.pk}-reponse": "present"},
            follow=True,
        )

    page = reponse.content.decode()
    assert "Ce temps collectif a commencé : votre réponse ne peut plus être modifiée." in page
    assert "la réponse est close" in page
    participation.refresh_from_db()
    assert participation.reponse == ""


def test_on_n_invite_plus_a_un_temps_commence(lancement, mailoutbox):
    with time_machine.travel(lancement.debut):
        assert evenements.inviter(evenement=lancement) == 0

    assert not Participation.objects.exists()


@pytest.mark.parametrize("paires", [1, 4])
def test_la_page_des_presences_a_un_nombre_constant_de_requetes(client, paires, django_assert_num_queries):
    promotion = PromotionFactory()
    for _ in range(paires):
        BinomeFactory(promotion=promotion)
    evenement = _evenement(promotion, _a_paris(promotion.journee_bilan, 10), lieu="Paris")
    evenement.save()
    evenements.inviter(evenement=evenement)
    connecter(client, IngenieurFactory())
    client.get(reverse("suivi:presences", args=[evenement.pk]))

    # session, user with its groups and second factor, the time, its participations with their person,
    # the counts
    with django_assert_num_queries(5):
        reponse = client.get(reverse("suivi:presences", args=[evenement.pk]))

    assert reponse.content.decode().count('<select name="form-') == 2 * paires


def test_le_fichier_lisible_du_demarrage_rapide_nomme_la_piece_jointe(lancement, tmp_path):
    from mentorat import emails

    fichier = tmp_path / "courriels.txt"
    participation = _inviter(lancement)

    with emails.vers(emails.FichierLisible(fichier)):
        emails.envoyer(
            "evenement-invitation",
            [participation.utilisateur.email],
            {"evenement": lancement, "participant": participation.utilisateur},
        )

    assert "Pièces jointes : invitation.ics" in fichier.read_text(encoding="utf-8")
