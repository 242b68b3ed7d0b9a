"""An early stop, from the member's request to the end-of-pair invitation: what the engineers see and record."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from binomes import services as binomes
from binomes.models import Binome, MotifArret, StatutBinome
from evaluation.models import Campagne, Envoi, Invitation, TypeCampagne, TypeEnvoi
from mentorat.models import Action, EntreeJournal
from suivi import frise
from tests.evaluation.factories import CampagneFactory
from tests.factories import BinomeFactory
from tests.suivi.factories import RencontreFactory

from .test_views import connecter, il_y_a


def arret(rencontre=None, **valeurs) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "motif": MotifArret.RELATION,
        "note": "Départ concerté.",
        "derniere_rencontre": rencontre.date.isoformat() if rencontre else "aucune",
        **valeurs,
    }


def test_de_la_demande_d_arret_a_l_invitation_au_questionnaire_de_fin_de_binome(
    client, binome, mentore, mentor, ingenieur, promotion, django_capture_on_commit_callbacks
):
    """The end-of-pair campaign closed weeks ago: the pair stopped now is invited all the same, at once."""
    passee = CampagneFactory(
        promotion=promotion,
        type=TypeCampagne.FIN_DE_BINOME,
        ouverture=timezone.now() - datetime.timedelta(days=60),
        fermeture=timezone.now() - datetime.timedelta(days=30),
    )
    autre = BinomeFactory(promotion=promotion, referent=ingenieur)
    RencontreFactory(binome=autre, date=il_y_a(80))  # over the limit: urgent, but less than a stop asked
    derniere = RencontreFactory(binome=binome, date=il_y_a(5))

    connecter(client, mentore).post(reverse("binomes:demander_arret", args=[binome.pk]), {"motif": "relation"})
    mail.outbox.clear()

    connecter(client, ingenieur)
    tableau_de_bord = client.get(reverse("suivi:tableau_de_bord"))
    assert [(t.binome, t.vigilance.label) for t in tableau_de_bord.context["tableaux"]] == [
        (binome, "Arrêt demandé"),
        (autre, "Écart dépassé"),
    ]
    suivi = client.get(reverse("suivi:binome", args=[binome.pk])).content.decode()
    assert 'id="arret-demande"' in suivi
    assert reverse("suivi:enregistrer_arret", args=[binome.pk]) in suivi
    formulaire = client.get(reverse("suivi:enregistrer_arret", args=[binome.pk])).content.decode()
    assert 'type="date"' in formulaire  # the date picker, as everywhere else

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("suivi:enregistrer_arret", args=[binome.pk]), arret(derniere), follow=True)

    assert "L&#x27;arrêt du binôme est enregistré" in reponse.content.decode()
    binome.refresh_from_db()
    assert (binome.statut, binome.date_arret, binome.derniere_rencontre_le) == (
        StatutBinome.ARRETE,
        timezone.localdate(),
        derniere.date,
    )
    assert (binome.motif_arret, binome.note_arret, binome.arret_enregistre_par) == (
        "relation",
        "Départ concerté.",
        ingenieur,
    )
    entree = EntreeJournal.objects.get(action=Action.BINOME_ARRETE)
    assert (entree.par, entree.details["derniere_rencontre"]) == (ingenieur, derniere.date.isoformat())

    # Both members told the stop is recorded, and both invited to the end-of-pair questionnaire, now.
    sujets = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert [s for s in sujets if "enregistré" in s[1]] == sorted(
        (m.email, "Mentorat : l'arrêt de votre binôme est enregistré") for m in (mentore, mentor)
    )
    invitations = Invitation.objects.filter(campagne=passee)
    assert set(invitations.values_list("utilisateur", flat=True)) == {mentore.pk, mentor.pk}
    assert (
        Envoi.objects.filter(invitation__in=invitations, type=TypeEnvoi.INVITATION, envoye_le__isnull=False).count()
        == 2
    )
    passee.refresh_from_db()
    assert passee.est_ouverte() and passee.fermeture >= timezone.now() + datetime.timedelta(days=27)
    assert not passee.reponses_brassees  # the answers to come are shuffled again at the new closing

    # The stopped pair: the stop shown, no alarm, nothing ahead; the questionnaire waits in the members' space.
    suivi = client.get(reverse("suivi:binome", args=[binome.pk])).content.decode()
    assert 'id="arret"' in suivi and "Départ concerté." in suivi
    assert "Prochain temps collectif" not in suivi
    assert frise.ROUGE not in suivi
    espace = connecter(client, mentor).get(reverse("binomes:espace")).content.decode()
    assert "Répondre : Questionnaire de fin de binôme" in espace


def test_le_premier_arret_cree_la_campagne_de_fin_de_binome(binome, ingenieur, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        binomes.enregistrer_arret(
            binome=binome, par=ingenieur, date=timezone.localdate(), motif="enjeu", sans_derniere_rencontre="Aucune."
        )

    campagne = Campagne.objects.get(type=TypeCampagne.FIN_DE_BINOME)
    assert campagne.est_ouverte()
    assert campagne.invitations.count() == 2


@pytest.mark.parametrize(
    ("valeurs", "erreur"),
    [
        (
            {"derniere_rencontre": "aucune", "sans_derniere_rencontre": ""},
            "Indiquez pourquoi le binôme n&#x27;a pas tenu",
        ),
        ({"date": "2099-01-01"}, "La date de l&#x27;arrêt ne peut pas être dans le futur."),
        ({"date": "1990-01-01"}, "Choisissez une date entre la formation du binôme"),
        ({"date": "pas-une-date"}, "Saisissez une date valide."),
        ({"motif": ""}, "Choisissez la raison de l&#x27;arrêt."),
        ({"note": "Un\x00nul"}, "Le caractère nul n’est pas autorisé."),
        ({"note": "x" * 301}, "300 caractères"),
        ({"derniere_rencontre": "2001-01-01"}, "Sélectionnez un choix valide"),
    ],
)
def test_un_arret_mal_saisi_est_refuse_en_francais_et_garde_la_saisie(client, binome, ingenieur, valeurs, erreur):
    binome.decide_le = timezone.now() - datetime.timedelta(days=200)
    Binome.objects.filter(pk=binome.pk).update(decide_le=binome.decide_le)

    reponse = connecter(client, ingenieur).post(
        reverse("suivi:enregistrer_arret", args=[binome.pk]),
        arret(**{"note": "Note gardée", "sans_derniere_rencontre": "Raison gardée", **valeurs}),
    )

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert erreur in contenu
    assert "Le formulaire n'a pas pu être enregistré" in contenu
    if "note" not in valeurs:
        assert "Note gardée" in contenu
    assert Binome.objects.get(pk=binome.pk).statut == StatutBinome.ACTIF


def test_la_derniere_rencontre_ne_suit_pas_l_arret(client, binome, ingenieur):
    Binome.objects.filter(pk=binome.pk).update(decide_le=timezone.now() - datetime.timedelta(days=200))
    rencontre = RencontreFactory(binome=binome, date=il_y_a(2))

    reponse = connecter(client, ingenieur).post(
        reverse("suivi:enregistrer_arret", args=[binome.pk]), arret(rencontre, date=il_y_a(4).isoformat())
    )

    assert "La dernière rencontre ne peut pas suivre la date de l&#x27;arrêt." in reponse.content.decode()


def test_un_binome_deja_clos_renvoie_a_son_suivi(client, binome, ingenieur):
    Binome.objects.filter(pk=binome.pk).update(statut=StatutBinome.TERMINE)

    reponse = connecter(client, ingenieur).get(reverse("suivi:enregistrer_arret", args=[binome.pk]), follow=True)

    assert reponse.redirect_chain[-1][0] == reverse("suivi:binome", args=[binome.pk])
    assert "Ce binôme est déjà clos" in reponse.content.decode()


def test_arret_enregistre_entre_temps_par_un_autre_ingenieur(client, binome, ingenieur, monkeypatch):
    """The form was valid when read; the stop was recorded by someone else just before: said, not a 500."""
    connecter(client, ingenieur)

    def deja_clos(**kwargs):
        raise binomes.BinomeRefuse("Un binôme « Arrêté » ne peut devenir « Arrêté ».")

    monkeypatch.setattr("suivi.views.services_binomes.enregistrer_arret", deja_clos)
    reponse = client.post(
        reverse("suivi:enregistrer_arret", args=[binome.pk]), arret(sans_derniere_rencontre="x"), follow=True
    )

    assert "ne peut devenir" in reponse.content.decode()


@pytest.mark.parametrize("statut", [StatutBinome.ARRETE, StatutBinome.TERMINE, StatutBinome.PROPOSE])
def test_noter_une_rencontre_d_un_binome_clos_ou_propose_dit_pourquoi(client, binome, mentore, statut):
    Binome.objects.filter(pk=binome.pk).update(statut=statut, date_arret=il_y_a(3))

    connecter(client, mentore)
    ajout = client.get(reverse("suivi:ajouter"))
    envoi = client.post(reverse("suivi:ajouter"), {"date": il_y_a(1).isoformat(), "mode": "visio"})

    titres = {
        StatutBinome.ARRETE: "Votre binôme est arrêté",
        StatutBinome.TERMINE: "L'année de votre binôme est terminée",
        StatutBinome.PROPOSE: "Votre binôme n'est pas encore confirmé",
    }
    for reponse in (ajout, envoi):
        assert reponse.status_code == 200
        assert titres[statut] in reponse.content.decode()
    assert not binome.rencontres.exists()
    if statut == StatutBinome.PROPOSE:
        assert titres[statut] in client.get(reverse("suivi:rencontres")).content.decode()


def test_un_binome_termine_transmet_encore_son_tableau_final_un_binome_arrete_non(client, binome, mentore):
    """The final transmission follows the bilan day; a stopped pair's table stays as it was."""
    Binome.objects.filter(pk=binome.pk).update(statut=StatutBinome.TERMINE)
    connecter(client, mentore)

    page = client.get(reverse("suivi:rencontres")).content.decode()
    reponse = client.post(reverse("suivi:transmettre"), {"moment": "fin"})

    assert "Transmettre le tableau" in page and "Noter une rencontre" not in page
    assert reponse.status_code == 302
    assert binome.transmissions.get().moment == "fin"
    Binome.objects.filter(pk=binome.pk).update(statut=StatutBinome.ARRETE)
    assert client.post(reverse("suivi:transmettre"), {"moment": "mi_parcours"}).status_code == 404
