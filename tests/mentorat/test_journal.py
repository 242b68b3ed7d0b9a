"""The audit journal: every admin action and export leaves an entry; entries are never changed nor deleted; the
pilot and the engineers read it with filters and export it; it never names a questionnaire's invitation."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome, Proposition
from candidatures.models import Orientation, OrientationSuivie, Statut
from evaluation.models import Invitation
from mentorat import journal
from mentorat.admin_journal import ExportJournalise, JournaliseAdmin
from mentorat.models import Action, Courriel, EntreeJournal, JournalEnAjoutSeul, Promotion
from suivi.models import EtatRencontre, EvenementCollectif, Rappel, TypeEvenement, TypeRappel
from tests.binomes.conftest import mentor_retenu, mentore_retenu
from tests.evaluation.factories import CampagneFactory
from tests.factories import (
    BinomeFactory,
    CandidatureFactory,
    IngenieurFactory,
    PromotionFactory,
    ThemeFactory,
    UtilisateurFactory,
)
from tests.suivi.factories import RencontreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _apres_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        yield


def _action_admin(client, modele: str, action: str, objets) -> None:
    client.post(
        reverse(f"admin:{modele}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objets], "post": "yes"},
    )


def _proposition(pilote, promotion):
    from binomes import services

    mentore_retenu(promotion)
    mentor_retenu(promotion)
    mentore_retenu(promotion)
    mentor_retenu(promotion)
    return services.proposer_appariement(promotion=promotion, par=pilote)


def _decision(action):
    def scenario(client, m):
        client.force_login(m.pilote)
        # A submitted application is declared admissible or not; an admissible one is retained or not.
        avant = Statut.SOUMISE if action.startswith("declarer") else Statut.RECEVABLE
        candidature = CandidatureFactory(promotion=m.promotion, statut=avant)
        _action_admin(client, "candidatures_candidature", action, [candidature])
        return Action.CANDIDATURE_DECISION, candidature

    return scenario


def _marquer_relue(client, m):
    client.force_login(m.pilote)
    candidature = CandidatureFactory(promotion=m.promotion, statut=Statut.RETENUE, a_relire=True)
    _action_admin(client, "candidatures_candidature", "marquer_relue", [candidature])
    return Action.ADMINISTRATION, candidature


def _orientation_suivie(suivie):
    def scenario(client, m):
        client.force_login(m.ingenieur)  # the engineers record it, not the pilot
        candidature = CandidatureFactory(
            promotion=m.promotion,
            statut=Statut.NON_RETENUE,
            orientation=Orientation.COACHING,
            orientation_suivie=OrientationSuivie.OUI if suivie == "inconnu" else OrientationSuivie.INCONNU,
        )
        _action_admin(client, "candidatures_candidature", f"orientation_suivie_{suivie}", [candidature])
        return Action.ORIENTATION_SUIVIE, candidature

    return scenario


def _liste_attente(vue):
    def scenario(client, m):
        client.force_login(m.pilote)
        premiere, seconde = (
            CandidatureFactory(promotion=m.promotion, statut=Statut.LISTE_ATTENTE, rang_attente=rang) for rang in (1, 2)
        )
        if vue == "places":
            client.get(reverse("candidatures:places", args=[m.promotion.pk]))
            return Action.CANDIDATURE_CONSULTEE, m.promotion
        if vue == "deplacer":
            client.post(reverse("candidatures:deplacer", args=[seconde.pk]), {f"{seconde.pk}-rang": "1"})
            return Action.LISTE_ATTENTE_MODIFIEE, seconde
        client.post(reverse("candidatures:retenir_depuis_la_liste", args=[premiere.pk]))
        return Action.CANDIDATURE_DECISION, premiere

    return scenario


def _place_proposee(client, m):
    client.force_login(m.binome.mentore.utilisateur)  # the retained mentee stands down
    Promotion.objects.filter(pk=m.binome.promotion_id).update(places_mentores=1)
    en_attente = CandidatureFactory(promotion=m.binome.promotion, statut=Statut.LISTE_ATTENTE, rang_attente=1)
    client.post(reverse("candidatures:retirer", args=[m.binome.mentore_id]))
    return Action.PLACE_PROPOSEE, en_attente


def _export_candidatures(format_index):
    def scenario(client, m):
        client.force_login(m.pilote)
        CandidatureFactory(promotion=m.promotion)
        client.post(
            reverse("admin:candidatures_candidature_export"),
            {"format": format_index, "resource": "0", "candidatureresource_nom": "on"},
        )
        return Action.EXPORT, None

    return scenario


def _decider(client, m):
    client.force_login(m.ingenieur)
    candidature = CandidatureFactory(promotion=m.promotion)
    client.post(reverse("admin:candidatures_candidature_decider", args=[candidature.pk]), {"statut": "retenue"})
    return Action.CANDIDATURE_DECISION, candidature


def _consulter(client, m):
    client.force_login(m.pilote)
    candidature = CandidatureFactory(promotion=m.promotion)
    client.get(reverse("admin:candidatures_candidature_change", args=[candidature.pk]))
    return Action.CANDIDATURE_CONSULTEE, candidature


def _appariement(nom):
    def scenario(client, m):
        client.force_login(m.pilote)
        proposition = _proposition(m.pilote, m.promotion)
        lignes = list(proposition.lignes.all())
        url = reverse(
            f"admin:binomes_{nom}", args=[m.promotion.pk, *([lignes[0].pk] if nom in ("retirer", "modifier") else [])]
        )
        donnees = {
            "proposer": {},
            "echanger": {"lignes": [lignes[0].pk, lignes[1].pk]},
            "retirer": {},
            "modifier": {"verrouillee": "on", "referent": m.ingenieur.pk},
            "valider": {"motif": "Décision du comité du 3 mars"},
        }[nom]
        depart = EntreeJournal.objects.count()
        client.post(url, donnees)
        assert EntreeJournal.objects.count() > depart
        attendu = {"proposer": Action.APPARIEMENT_CALCULE, "valider": Action.BINOME_VALIDE}
        return attendu.get(nom, Action.APPARIEMENT_MODIFIE), None

    return scenario


def _ajouter(client, m):
    client.force_login(m.pilote)
    proposition = _proposition(m.pilote, m.promotion)
    proposition.lignes.all().delete()
    mentore, mentor = (
        m.promotion.candidatures.filter(role=r, statut=Statut.RETENUE).first() for r in ("mentore", "mentor")
    )
    client.post(reverse("admin:binomes_ajouter", args=[m.promotion.pk]), {"mentore": mentore.pk, "mentor": mentor.pk})
    return Action.APPARIEMENT_MODIFIE, None


def _exclure(client, m):
    client.force_login(m.pilote)
    mentore, mentor = mentore_retenu(m.promotion), mentor_retenu(m.promotion)
    client.post(
        reverse("admin:binomes_exclure", args=[m.promotion.pk]),
        {"mentore": mentore.pk, "mentor": mentor.pk, "motif": "Même établissement"},
    )
    return Action.EXCLUSION, None


def _referent(client, m):
    client.force_login(m.pilote)
    binome = BinomeFactory(promotion=m.promotion)
    autre = IngenieurFactory()
    client.post(reverse("admin:binomes_binome_change", args=[binome.pk]), {"referent": autre.pk, **_engagements()})
    return Action.BINOME_MODIFIE, binome


def _engagements() -> dict:
    return {f"engagements-{c}": v for c, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0), ("MAX_NUM_FORMS", 1000))}


def _arret(client, m):
    client.force_login(m.ingenieur)
    binome = BinomeFactory(promotion=PromotionFactory(est_courante=False, journee_lancement=timezone.localdate()))
    client.post(
        reverse("suivi:enregistrer_arret", args=[binome.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "motif": "relation",
            "derniere_rencontre": "aucune",
            "sans_derniere_rencontre": "Le mentor a quitté ses fonctions.",
        },
    )
    return Action.BINOME_ARRETE, binome


def _rencontre(operation):
    def scenario(client, m):
        client.force_login(m.ingenieur)
        rencontre = RencontreFactory(
            binome=m.binome, date=timezone.localdate() - datetime.timedelta(days=2), etat=EtatRencontre.PREVUE
        )
        if operation == "marquer_tenues":
            _action_admin(client, "suivi_rencontre", "marquer_tenues", [rencontre])
        elif operation == "delete_selected":
            _action_admin(client, "suivi_rencontre", "delete_selected", [rencontre])
        else:
            client.post(
                reverse("admin:suivi_rencontre_change", args=[rencontre.pk]),
                {"date": rencontre.date.isoformat(), "mode": "visio", "autre_theme": "Budget"},
            )
        return Action.RENCONTRE_CORRIGEE, rencontre

    return scenario


def _inviter(client, m):
    client.force_login(m.ingenieur)
    debut = timezone.now() + datetime.timedelta(days=10)
    evenement = EvenementCollectif.objects.create(
        promotion=m.binome.promotion,
        type=TypeEvenement.BILAN,
        debut=debut,
        fin=debut + datetime.timedelta(hours=3),
        lieu="Paris",
    )
    _action_admin(client, "suivi_evenementcollectif", "envoyer_invitations", [evenement])
    return Action.ADMINISTRATION, evenement


def _ouvrir(client, m):
    client.force_login(m.ingenieur)
    campagne = CampagneFactory(promotion=m.binome.promotion, ouverture=timezone.now() + datetime.timedelta(days=3))
    _action_admin(client, "evaluation_campagne", "ouvrir", [campagne])
    return Action.CAMPAGNE_OUVERTE, campagne


def _renvoyer(modele):
    def scenario(client, m):
        client.force_login(m.ingenieur)
        if modele == "mentorat_courriel":
            ligne = Courriel.objects.create(cle="essai", nom="candidature-statut", echoue_le=timezone.now())
        else:
            ligne = Rappel.objects.create(
                binome=m.binome, type=TypeRappel.ALERTE, date_reference=timezone.localdate(), echoue_le=timezone.now()
            )
        _action_admin(client, modele, "renvoyer", [ligne])
        return Action.COURRIEL_RENVOYE, ligne

    return scenario


def _supprimer_un_theme(client, m):
    client.force_login(m.pilote)
    theme = ThemeFactory(nom="Thème à supprimer")
    _action_admin(client, "candidatures_theme", "delete_selected", [theme])
    return Action.ADMINISTRATION, None


def _modifier_un_theme(client, m):
    client.force_login(m.pilote)
    theme = ThemeFactory(nom="Finances")
    client.post(reverse("admin:candidatures_theme_change", args=[theme.pk]), {"nom": "Finances publiques", "ordre": 3})
    return Action.ADMINISTRATION, theme


def _export_suivi(nom):
    def scenario(client, m):
        client.force_login(m.ingenieur)
        client.get(reverse(f"suivi:{nom}", args=[m.binome.promotion_id]))
        return Action.EXPORT, m.binome.promotion

    return scenario


def _synthese_pdf(client, m):
    client.force_login(m.ingenieur)
    campagne = CampagneFactory(promotion=m.binome.promotion, fermeture=timezone.now() - datetime.timedelta(days=1))
    client.get(reverse("evaluation:pdf", args=[campagne.pk]))
    return Action.EXPORT, campagne


def _export_journal(client, m):
    client.force_login(m.ingenieur)
    exporter_le_journal(client)
    return Action.EXPORT, None


def exporter_le_journal(client):
    colonnes = ["le", "personne", "action", "objet", "details", "adresse_ip"]
    return client.post(
        reverse("admin:mentorat_entreejournal_export"),
        {"format": "0", "resource": "0", **{f"entreejournalresource_{c}": "on" for c in colonnes}},
    )


# Every action of the admin screens and every export, with the entry it must leave. `delete_selected` stands for
# every model of the admin (JournaliseAdmin: see test_chaque_admin_est_journalise).
SCENARIOS = {
    ("candidatures.candidature", "declarer_recevable"): _decision("declarer_recevable"),
    ("candidatures.candidature", "declarer_non_recevable"): _decision("declarer_non_recevable"),
    ("candidatures.candidature", "retenir"): _decision("retenir"),
    ("candidatures.candidature", "ne_pas_retenir"): _decision("ne_pas_retenir"),
    ("candidatures.candidature", "ne_pas_retenir_coaching"): _decision("ne_pas_retenir_coaching"),
    ("candidatures.candidature", "ne_pas_retenir_atelier"): _decision("ne_pas_retenir_atelier"),
    ("candidatures.candidature", "mettre_en_attente"): _decision("mettre_en_attente"),
    ("candidatures.candidature", "orientation_suivie_oui"): _orientation_suivie("oui"),
    ("candidatures.candidature", "orientation_suivie_non"): _orientation_suivie("non"),
    ("candidatures.candidature", "orientation_suivie_inconnu"): _orientation_suivie("inconnu"),
    ("candidatures", "places"): _liste_attente("places"),
    ("candidatures", "deplacer"): _liste_attente("deplacer"),
    ("candidatures", "retenir_depuis_la_liste"): _liste_attente("retenir"),
    ("candidatures", "desistement"): _place_proposee,
    ("candidatures.candidature", "marquer_relue"): _marquer_relue,
    ("candidatures.candidature", "export_admin_action"): _export_candidatures("0"),
    ("candidatures.candidature", "export XLSX"): _export_candidatures("1"),
    ("candidatures.candidature", "decider"): _decider,
    ("candidatures.candidature", "consultation"): _consulter,
    ("binomes.binome", "proposer"): _appariement("proposer"),
    ("binomes.binome", "echanger"): _appariement("echanger"),
    ("binomes.binome", "retirer"): _appariement("retirer"),
    ("binomes.binome", "modifier"): _appariement("modifier"),
    ("binomes.binome", "valider"): _appariement("valider"),
    ("binomes.binome", "ajouter"): _ajouter,
    ("binomes.binome", "exclure"): _exclure,
    ("binomes.binome", "referent"): _referent,
    ("binomes.binome", "arret"): _arret,
    ("suivi.rencontre", "marquer_tenues"): _rencontre("marquer_tenues"),
    ("suivi.rencontre", "modification"): _rencontre("modification"),
    ("suivi.rencontre", "delete_selected"): _rencontre("delete_selected"),
    ("suivi.evenementcollectif", "envoyer_invitations"): _inviter,
    ("evaluation.campagne", "ouvrir"): _ouvrir,
    ("mentorat.courriel", "renvoyer"): _renvoyer("mentorat_courriel"),
    ("suivi.rappel", "renvoyer"): _renvoyer("suivi_rappel"),
    ("candidatures.theme", "delete_selected"): _supprimer_un_theme,
    ("candidatures.theme", "modification"): _modifier_un_theme,
    ("suivi", "export_csv"): _export_suivi("export_csv"),
    ("suivi", "export_pdf"): _export_suivi("export_pdf"),
    ("evaluation", "pdf"): _synthese_pdf,
    ("mentorat.entreejournal", "export_admin_action"): _export_journal,
}


@pytest.fixture
def monde(promotion, pilote, ingenieur, binome):
    return type("Monde", (), {"promotion": promotion, "pilote": pilote, "ingenieur": ingenieur, "binome": binome})


@pytest.mark.parametrize("cle", list(SCENARIOS), ids=lambda c: f"{c[0]}:{c[1]}")
def test_chaque_action_et_chaque_export_laisse_une_entree(client, monde, cle):
    avant = set(EntreeJournal.objects.values_list("pk", flat=True))

    action, objet = SCENARIOS[cle](client, monde)

    nouvelles = EntreeJournal.objects.exclude(pk__in=avant).exclude(action=Action.CONNEXION)
    entrees = [e for e in nouvelles if e.action == action]
    assert entrees, f"aucune entrée « {action.label} » : {[e.action for e in nouvelles]}"
    entree = entrees[-1]
    assert entree.par is not None and entree.par_libelle == entree.par.email
    if objet is not None:
        assert entree.objet_id == str(objet.pk)


def _requete_de(utilisateur):
    requete = RequestFactory().get("/admin/")
    requete.user = utilisateur
    return requete


def test_chaque_action_de_l_administration_a_son_scenario(admin_user):
    """A new admin action without a line in SCENARIOS fails here: it must say what the journal records."""
    requete = _requete_de(admin_user)
    actions = {
        (modele._meta.label_lower, nom)
        for modele, modele_admin in admin.site._registry.items()
        if isinstance(modele_admin, JournaliseAdmin | ExportJournalise)
        for nom in modele_admin.get_actions(requete)
        if nom != "delete_selected"
    }

    assert actions - set(SCENARIOS) == set()


def test_chaque_admin_est_journalise():
    """Every ModelAdmin of the programme journals its forms and deletions, except the questionnaires' invitations."""
    sans_journal = {
        modele._meta.label_lower
        for modele, modele_admin in admin.site._registry.items()
        if modele._meta.app_label in ("mentorat", "candidatures", "binomes", "suivi", "evaluation")
        and not isinstance(modele_admin, JournaliseAdmin | ExportJournalise)
    }

    assert sans_journal == {"evaluation.invitation"}


def test_chaque_decision_est_gardee_pas_seulement_la_derniere(pilote, ingenieur, candidat):
    from candidatures import services

    services.changer_statut(candidature=candidat, statut=Statut.RETENUE, par=pilote)
    services.changer_statut(candidature=candidat, statut=Statut.NON_RETENUE, par=ingenieur)

    decisions = EntreeJournal.objects.filter(action=Action.CANDIDATURE_DECISION).order_by("le", "pk")
    assert [(e.par, e.details["avant"], e.details["apres"]) for e in decisions] == [
        (pilote, "Recevable", "Retenue"),
        (ingenieur, "Retenue", "Non retenue"),
    ]


def test_le_journal_ne_se_modifie_ni_ne_se_supprime(pilote):
    entree = journal.consigner(Action.CONNEXION, par=pilote)

    entree.action = Action.EXPORT
    with pytest.raises(JournalEnAjoutSeul):
        entree.save()
    with pytest.raises(JournalEnAjoutSeul):
        entree.delete()
    with pytest.raises(JournalEnAjoutSeul):
        EntreeJournal.objects.filter(pk=entree.pk).update(action=Action.EXPORT)
    with pytest.raises(JournalEnAjoutSeul):
        EntreeJournal.objects.all().delete()
    assert EntreeJournal.objects.get(pk=entree.pk).action == Action.CONNEXION


def test_seule_la_purge_de_conservation_supprime(pilote):
    ancienne = EntreeJournal.objects.create(
        action=Action.CONNEXION, par=pilote, le=timezone.now() - datetime.timedelta(days=400)
    )
    recente = journal.consigner(Action.CONNEXION, par=pilote)

    assert journal.purger(avant=timezone.now() - datetime.timedelta(days=365)) == 1
    assert list(EntreeJournal.objects.values_list("pk", flat=True)) == [recente.pk]
    assert not EntreeJournal.objects.filter(pk=ancienne.pk).exists()


def test_le_journal_ne_nomme_jamais_une_invitation(pilote, binome):
    campagne = CampagneFactory(promotion=binome.promotion)
    invitation = Invitation.objects.create(
        campagne=campagne, utilisateur=binome.mentor.utilisateur, role="mentor", corps="DH"
    )

    with pytest.raises(ValueError, match="anonymat"):
        journal.consigner(Action.ADMINISTRATION, par=pilote, objet=invitation)
    assert not EntreeJournal.objects.exists()


def test_le_pilote_et_les_ingenieurs_lisent_le_journal_les_autres_non(client, pilote, ingenieur, candidat):
    journal.consigner(Action.EXPORT, par=ingenieur, details={"document": "tableaux de suivi"})
    url = reverse("admin:mentorat_entreejournal_changelist")

    for lecteur in (pilote, ingenieur):
        client.force_login(lecteur)
        assert "tableaux de suivi" in client.get(url).content.decode()
    client.force_login(candidat.utilisateur)
    assert client.get(url).status_code == 302  # the admin's sign-in page: not a committee account
    client.force_login(pilote)
    entree = EntreeJournal.objects.get(action=Action.EXPORT)
    assert client.get(reverse("admin:mentorat_entreejournal_change", args=[entree.pk])).status_code == 200
    assert (
        client.post(reverse("admin:mentorat_entreejournal_delete", args=[entree.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:mentorat_entreejournal_add")).status_code == 403


def test_le_journal_se_filtre_par_personne_action_et_periode(client, pilote, ingenieur):
    autre = UtilisateurFactory(prenom="Zoé", nom="Zorglub", email="zoe@exemple.fr")
    journal.consigner(Action.EXPORT, par=ingenieur, details={"document": "tableaux-a"})
    journal.consigner(Action.CANDIDATURE_CONSULTEE, par=pilote, details={"document": "consultation-b"})
    ancienne = EntreeJournal.objects.create(
        action=Action.EXPORT, par=autre, par_libelle=autre.email, le=timezone.now() - datetime.timedelta(days=60)
    )
    client.force_login(pilote)
    url = reverse("admin:mentorat_entreejournal_changelist")

    def lignes(**filtres):
        return {e.pk for e in client.get(url, filtres).context["cl"].result_list} - {
            e.pk for e in EntreeJournal.objects.filter(action=Action.CONNEXION)
        }

    assert lignes(par__id__exact=ingenieur.pk) == set(
        EntreeJournal.objects.filter(par=ingenieur).exclude(action=Action.CONNEXION).values_list("pk", flat=True)
    )
    assert lignes(action__exact=Action.CANDIDATURE_CONSULTEE) == set(
        EntreeJournal.objects.filter(action=Action.CANDIDATURE_CONSULTEE).values_list("pk", flat=True)
    )
    debut = (timezone.now() - datetime.timedelta(days=7)).isoformat()
    assert ancienne.pk not in lignes(le__gte=debut)
    assert ancienne.pk in lignes()


def test_l_export_du_journal_est_en_francais_et_journalise(client, ingenieur):
    journal.consigner(Action.EXPORT, par=ingenieur, details={"document": "tableaux de suivi"})
    client.force_login(ingenieur)

    reponse = exporter_le_journal(client)

    contenu = reponse.content.decode("utf-8-sig")
    assert contenu.splitlines()[0] == "Le,Personne,Action,Objet,Détails,Adresse IP"
    assert "Export d'un tableau ou d'un document" in contenu
    assert EntreeJournal.objects.filter(action=Action.EXPORT, details__document="journal d'audit").exists()


def test_une_proposition_validee_journalise_chaque_binome(pilote, ingenieur, promotion):
    from binomes import services

    proposition = _proposition(pilote, promotion)

    binomes = services.valider_proposition(proposition=proposition, par=pilote, motif="Comité du 3 mars")

    assert not Proposition.objects.exists()
    valides = EntreeJournal.objects.filter(action=Action.BINOME_VALIDE)
    assert sorted(int(e.objet_id) for e in valides) == sorted(b.pk for b in binomes)
    assert {e.details["motif"] for e in valides} == {"Comité du 3 mars"}
    assert Binome.objects.count() == len(binomes)
