"""Erasure: asked from the person's space, answered by an engineer in the admin, for a pair member too."""

import datetime
import html
import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature
from mentorat import journal
from mentorat.models import Action, EntreeJournal, Utilisateur
from rgpd.anonymisation import anonymiser_personne
from rgpd.models import DemandeEffacement, StatutDemande
from suivi.models import Export, JetonCalendrier, Rencontre, StatutExport, TypeExport
from tests.factories import AppareilTotpFactory

URL_DEMANDE = reverse("rgpd:demander_effacement")


def _url_admin(demande) -> str:
    return reverse("admin:rgpd_demandeeffacement_change", args=[demande.pk])


@pytest.fixture
def membre(passe):
    """The mentee of the past promotion's pair, which has ended."""
    Binome.objects.filter(pk=passe.binome.pk).update(statut=StatutBinome.TERMINE)
    return passe.binome.mentore.utilisateur


def _traces(membre, passe, pilote, ingenieur) -> None:
    """What the service wrote about the member elsewhere: admin history, journal, devices, sign-in failures."""
    LogEntry.objects.create(
        user=pilote,
        content_type=ContentType.objects.get_for_model(Binome),
        object_id=str(passe.binome.pk),
        object_repr=str(passe.binome),
        action_flag=CHANGE,
        # As the admin writes it: JSON, non-ASCII characters escaped.
        change_message=json.dumps([{"changed": {"name": "engagement", "object": "Léa Mentorée", "fields": ["x"]}}]),
    )
    LogEntry.objects.create(
        user=pilote,
        content_type=ContentType.objects.get_for_model(Utilisateur),
        object_id=str(membre.pk),
        object_repr=membre.email,
        action_flag=CHANGE,
        change_message="[]",
    )
    journal.consigner(Action.CANDIDATURE_CONSULTEE, par=ingenieur, objet=passe.binome.mentore)
    journal.consigner(Action.BINOME_MODIFIE, par=ingenieur, objet=passe.binome, details={"avant": "Léa Mentorée"})
    journal.consigner(Action.MOT_DE_PASSE_CHANGE, par=membre)
    AppareilTotpFactory(user=membre)
    StaticDevice.objects.create(user=membre, name="secours")
    AccessAttempt.objects.create(username=membre.email, ip_address="10.0.0.1", user_agent="x", failures_since_start=1)
    AccessFailureLog.objects.create(username=membre.email, ip_address="10.0.0.1", user_agent="x")
    JetonCalendrier.objects.create(utilisateur=membre)


def test_demande_depuis_l_espace_une_seule_a_la_fois(
    client, membre, ingenieur, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(membre)
    assert "Demander l'effacement" in client.get(reverse("rgpd:mes_donnees")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(URL_DEMANDE, {"message": "Je change de carrière."}, follow=True)
        client.post(URL_DEMANDE, {"message": "Encore."})

    assert list(DemandeEffacement.objects.values_list("utilisateur", "statut", "message")) == [
        (membre.pk, StatutDemande.EN_ATTENTE, "Je change de carrière.")
    ]
    assert "est en cours de traitement" in reponse.content.decode()
    # The engineers are told once, without the person's name: their mailboxes outlive an erasure.
    demande = DemandeEffacement.objects.get()
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([ingenieur.email], "Mentorat : une demande d'effacement de données à traiter")
    ]
    assert _url_admin(demande) in mailoutbox[0].body
    assert "Mentorée" not in mailoutbox[0].body and membre.email not in mailoutbox[0].body


def test_message_trop_long_refuse_en_gardant_la_saisie(client, membre):
    client.force_login(membre)

    reponse = client.post(URL_DEMANDE, {"message": "x" * 2001})

    assert reponse.status_code == 400
    assert "Le formulaire n'a pas pu être enregistré" in reponse.content.decode()
    assert "x" * 2001 in reponse.content.decode()
    assert not DemandeEffacement.objects.exists()


def test_acceptee_par_un_ingenieur_efface_le_membre_d_un_binome(
    client, passe, membre, pilote, ingenieur, mailoutbox, django_capture_on_commit_callbacks
):
    ancienne_adresse = membre.email
    _traces(membre, passe, pilote, ingenieur)
    Binome.objects.filter(pk=passe.binome.pk).update(objectifs=["Objectif du binôme"])
    Candidature.objects.filter(pk=passe.binome.mentore_id).update(objectifs=["Objectif de la candidature"])
    demande = DemandeEffacement.objects.create(utilisateur=membre, message="Effacez-moi, Léa Mentorée.")
    client.force_login(ingenieur)
    assert "Léa Mentorée" in client.get(_url_admin(demande)).content.decode()
    entrees = EntreeJournal.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(_url_admin(demande), {"decision": "accepter", "motif_refus": ""})

    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert (demande.statut, demande.traitee_par, demande.message) == (StatutDemande.ACCEPTEE, ingenieur, "")
    membre.refresh_from_db()
    assert membre.get_full_name() == f"Personne anonymisée n°{membre.pk}"
    assert membre.anonymise_le is not None and not membre.is_active
    assert Candidature.objects.get(pk=passe.binome.mentore_id).motivation == ""
    assert Candidature.objects.get(pk=passe.binome.mentore_id).objectifs == []
    assert Binome.objects.get(pk=passe.binome.pk).objectifs == []  # the mentee's words, in the pair
    # The pair keeps its dates and themes, under an anonymised name.
    binome = Binome.objects.get(pk=passe.binome.pk)
    assert str(binome) == f"Personne anonymisée n°{membre.pk} avec Marc Mentorin"
    assert Rencontre.objects.filter(binome=binome).count() == 2
    assert {t.nom for r in Rencontre.objects.filter(binome=binome) for t in r.themes.all()} == {
        "Management des équipes"
    }
    # Nothing left of the name or the address in the admin's history, the journal, the devices, the failures.
    historique = list(LogEntry.objects.values_list("object_repr", "change_message"))
    assert historique and not [h for h in historique if "Mentor\\u00e9e" in str(h) or "Mentorée" in str(h)]
    assert not [h for h in historique if ancienne_adresse in str(h)]
    assert EntreeJournal.objects.count() == entrees + 1  # the entries stay, with an anonymous label
    for entree in EntreeJournal.objects.all():
        texte = f"{entree.par_libelle} {entree.objet_libelle} {json.dumps(entree.details, ensure_ascii=False)}"
        assert "Mentorée" not in texte and ancienne_adresse not in texte
    assert EntreeJournal.objects.filter(action=Action.EFFACEMENT_ACCEPTE, par=ingenieur).count() == 1
    assert not membre.totpdevice_set.exists()
    assert not StaticDevice.objects.filter(user=membre).exists()
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()
    assert not JetonCalendrier.objects.filter(utilisateur=membre).exists()
    # The person is told, at the address they had.
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([ancienne_adresse], "Mentorat : vos données personnelles sont effacées")
    ]
    assert "Votre demande d'effacement a été acceptée" in mailoutbox[0].body


def test_l_effacement_supprime_les_exports_qui_peuvent_nommer_la_personne(passe, membre, ingenieur):
    expire = timezone.now() + datetime.timedelta(hours=20)
    for type_export in (TypeExport.TABLEAUX_PDF, TypeExport.CANDIDATURES_XLSX, TypeExport.SYNTHESE_PDF):
        Export.objects.create(
            type=type_export, demandeur=ingenieur, statut=StatutExport.PRET, contenu=b"...", expire_le=expire
        )

    anonymiser_personne(membre)

    assert list(Export.objects.values_list("type", flat=True)) == [TypeExport.SYNTHESE_PDF]


def test_la_personne_effacee_ne_peut_plus_se_connecter(client, membre, ingenieur):
    from tests.factories import MOT_DE_PASSE

    demande = DemandeEffacement.objects.create(utilisateur=membre)
    adresse = membre.email
    client.force_login(ingenieur)
    client.post(_url_admin(demande), {"decision": "accepter"})
    client.logout()

    assert not client.login(username=adresse, password=MOT_DE_PASSE)


def test_refusee_avec_son_motif(client, membre, ingenieur, mailoutbox, django_capture_on_commit_callbacks):
    demande = DemandeEffacement.objects.create(utilisateur=membre)
    client.force_login(ingenieur)

    sans_motif = client.post(_url_admin(demande), {"decision": "refuser", "motif_refus": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(_url_admin(demande), {"decision": "refuser", "motif_refus": "Contentieux en cours."})

    assert sans_motif.status_code == 200
    assert "Indiquez le motif du refus" in sans_motif.content.decode()
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert (demande.statut, demande.motif_refus) == (StatutDemande.REFUSEE, "Contentieux en cours.")
    assert Utilisateur.objects.get(pk=membre.pk).anonymise_le is None
    assert [(m.to, m.subject) for m in mailoutbox] == [([membre.email], "Mentorat : votre demande d'effacement")]
    assert "Contentieux en cours." in mailoutbox[0].body
    assert "CNIL" in mailoutbox[0].body
    entree = EntreeJournal.objects.get(action=Action.EFFACEMENT_REFUSE)
    assert (entree.par, entree.details) == (ingenieur, {"motif": "Contentieux en cours."})
    # Answered: the request is read-only from now on.
    assert client.post(_url_admin(demande), {"decision": "accepter"}).status_code == 403


def test_un_binome_en_cours_est_d_abord_arrete(
    client, passe, ingenieur, mailoutbox, django_capture_on_commit_callbacks
):
    membre = passe.binome.mentore.utilisateur  # the pair is still active
    demande = DemandeEffacement.objects.create(utilisateur=membre)
    client.force_login(ingenieur)

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(_url_admin(demande), {"decision": "accepter"})

    assert reponse.status_code == 200
    assert "enregistrez d'abord l'arrêt du binôme" in html.unescape(reponse.content.decode())
    assert DemandeEffacement.objects.get(pk=demande.pk).statut == StatutDemande.EN_ATTENTE
    assert Utilisateur.objects.get(pk=membre.pk).anonymise_le is None
    assert mailoutbox == []


def test_le_pilote_ne_traite_pas_les_demandes(client, membre, pilote):
    demande = DemandeEffacement.objects.create(utilisateur=membre)
    client.force_login(pilote)

    assert client.get(reverse("admin:rgpd_demandeeffacement_changelist")).status_code == 403
    assert client.post(_url_admin(demande), {"decision": "accepter"}).status_code == 403
    assert DemandeEffacement.objects.get(pk=demande.pk).statut == StatutDemande.EN_ATTENTE


def test_rien_n_est_plus_envoye_a_une_personne_effacee(client, passe, membre, ingenieur, mailoutbox):
    """A status notification or a reminder queued before the erasure finds an anonymous address: not sent."""
    from mentorat import emails

    demande = DemandeEffacement.objects.create(utilisateur=membre)
    client.force_login(ingenieur)
    client.post(_url_admin(demande), {"decision": "accepter"})
    membre.refresh_from_db()

    emails.envoyer("binome-sans-binome", [membre.email], {"candidature": passe.binome.mentore})
    emails.envoyer("binome-sans-binome", [membre.email, ingenieur.email], {"candidature": passe.binome.mentore})

    assert [m.to for m in mailoutbox] == [[ingenieur.email]]
