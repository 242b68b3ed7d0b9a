"""The retention job on a time-machine clock: listed, approved, anonymised, and the past promotion's figures
unchanged."""

import datetime

import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome
from candidatures.models import Candidature
from mentorat import journal
from mentorat.models import Action, EntreeJournal, Utilisateur
from rgpd import conservation, services
from rgpd.models import EtatExpiration, Expiration, Nature
from suivi.models import Rencontre
from tests.factories import CandidatureFactory, PromotionFactory

from .conftest import chiffres

URL_LISTE = reverse("admin:rgpd_expiration_changelist")


def _a_paris(jour: datetime.date, heure: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))


def _apres_la_cloture(passe, jours: int = 1) -> datetime.datetime:
    return _a_paris(
        conservation.echeance_candidature(timezone.localdate(passe.promotion.cloture_candidatures))
        + datetime.timedelta(days=jours)
    )


def _apres_le_bilan(passe, jours: int = 1) -> datetime.datetime:
    return _a_paris(conservation.echeance_participation(passe.promotion.journee_bilan) + datetime.timedelta(days=jours))


def _listees() -> set[tuple[str, int | None]]:
    return set(Expiration.objects.values_list("nature", "candidature_id"))


def test_plus_annees_le_29_fevrier():
    assert conservation.plus_annees(datetime.date(2028, 2, 29), 2) == datetime.date(2030, 2, 28)
    assert conservation.plus_annees(datetime.date(2028, 2, 29), -2) == datetime.date(2026, 2, 28)


def test_rien_n_est_liste_avant_l_echeance(passe):
    with time_machine.travel(_apres_la_cloture(passe, jours=-1), tick=False):
        assert services.lister_expirations() == 0

    assert _listees() == set()


def test_candidatures_sans_binome_listees_deux_ans_apres_la_cloture(passe, settings):
    with time_machine.travel(_apres_la_cloture(passe, jours=0), tick=False):
        nouvelles = services.lister_expirations()

    assert nouvelles == 2
    assert _listees() == {
        (Nature.CANDIDATURE, passe.non_retenue.pk),
        (Nature.CANDIDATURE, passe.sans_binome.pk),
    }
    # Listed, not anonymised: the pilot approves first.
    assert Candidature.objects.get(pk=passe.non_retenue.pk).telephone == "0102030405"


def test_la_duree_est_un_reglage(passe, settings):
    deux_ans_apres = _apres_la_cloture(passe, jours=1)
    settings.CONSERVATION_CANDIDATURES_ANNEES = 3
    with time_machine.travel(deux_ans_apres, tick=False):
        assert services.lister_expirations() == 0


def test_membres_du_binome_listes_deux_ans_apres_le_bilan_une_seule_fois(passe):
    with time_machine.travel(_apres_le_bilan(passe, jours=-1), tick=False):
        services.lister_expirations()
    assert {n for n, _ in _listees()} == {Nature.CANDIDATURE}

    with time_machine.travel(_apres_le_bilan(passe), tick=False):
        assert services.lister_expirations() == 2
        assert services.lister_expirations() == 0  # idempotent: the next day's run lists nothing twice

    assert (Nature.PARTICIPATION, passe.binome.mentor_id) in _listees()
    assert (Nature.PARTICIPATION, passe.binome.mentore_id) in _listees()
    assert Expiration.objects.get(candidature=passe.binome.mentore).echeance == conservation.echeance_participation(
        passe.promotion.journee_bilan
    )


def test_la_tache_quotidienne_est_planifiee_et_liste(passe, settings):
    from rgpd.tasks import lister_expirations

    assert settings.CELERY_BEAT_SCHEDULE["conservation-des-donnees"]["task"] == "rgpd.tasks.lister_expirations"
    with time_machine.travel(_apres_le_bilan(passe), tick=False):
        assert lister_expirations.delay().get() == 4


def test_approuvee_par_la_pilote_anonymisee_et_chiffres_inchanges(
    client, passe, pilote, ingenieur, django_capture_on_commit_callbacks
):
    avant = chiffres(ingenieur, passe)
    mentore = passe.binome.mentore.utilisateur
    with time_machine.travel(_apres_le_bilan(passe), tick=False):
        services.lister_expirations()
        client.force_login(pilote)
        liste = client.get(URL_LISTE)
        assert "Léa Mentorée" in liste.content.decode()  # the pilot sees whom she approves

        with django_capture_on_commit_callbacks(execute=True):  # the Celery task anonymises after the approval
            reponse = client.post(
                URL_LISTE,
                {"action": "approuver", "_selected_action": list(Expiration.objects.values_list("pk", flat=True))},
            )

    assert reponse.status_code == 302
    assert set(Expiration.objects.values_list("etat", flat=True)) == {EtatExpiration.ANONYMISEE}
    assert set(Expiration.objects.values_list("approuvee_par", flat=True)) == {pilote.pk}
    # Every person of the promotion is anonymised…
    for candidature in Candidature.objects.filter(promotion=passe.promotion).select_related("utilisateur"):
        personne = candidature.utilisateur
        assert personne.anonymise_le is not None
        assert personne.email == f"anonyme-{personne.pk}@anonyme.invalid"
        assert personne.get_full_name() == f"Personne anonymisée n°{personne.pk}"
        assert not personne.has_usable_password()
        assert not personne.is_active
        assert (candidature.motivation, candidature.telephone, candidature.enjeux_declares) == ("", "", "")
        assert (candidature.etablissement, candidature.fonction) == ("", "")
    # …the pair keeps its dates and themes under anonymised names…
    binome = Binome.objects.get(pk=passe.binome.pk)
    assert (
        str(binome) == f"Personne anonymisée n°{mentore.pk} avec Personne anonymisée n°{binome.mentor.utilisateur_id}"
    )
    rencontres = Rencontre.objects.filter(binome=binome).order_by("date")
    assert [r.date for r in rencontres] == [
        passe.promotion.journee_lancement + datetime.timedelta(weeks=2),
        passe.promotion.journee_lancement + datetime.timedelta(weeks=8),
    ]
    assert [[t.nom for t in r.themes.all()] for r in rencontres] == [["Management des équipes"]] * 2
    # …and the past promotion's figures are those of before.
    assert chiffres(ingenieur, passe) == avant
    # Each approval is journaled, without the person's name.
    entrees = EntreeJournal.objects.filter(action=Action.CONSERVATION_APPROUVEE)
    assert entrees.count() == 4
    assert set(entrees.values_list("par", flat=True)) == {pilote.pk}
    assert not entrees.filter(objet_libelle__contains="Mentorée").exists()


def test_une_personne_qui_a_candidate_depuis_garde_son_compte(passe, pilote):
    recente = CandidatureFactory(
        promotion=PromotionFactory(), utilisateur=passe.non_retenue.utilisateur, telephone="0102030405"
    )
    with time_machine.travel(_apres_la_cloture(passe), tick=False):
        services.lister_expirations()
        services.approuver(Expiration.objects.filter(candidature=passe.non_retenue), par=pilote)
        services.anonymiser_approuvees()

    assert Candidature.objects.get(pk=passe.non_retenue.pk).telephone == ""
    assert Candidature.objects.get(pk=recente.pk).telephone == "0102030405"
    assert Utilisateur.objects.get(pk=passe.non_retenue.utilisateur_id).anonymise_le is None


def test_seul_le_pilote_approuve(client, passe, ingenieur):
    with time_machine.travel(_apres_la_cloture(passe), tick=False):
        services.lister_expirations()
        client.force_login(ingenieur)
        assert client.get(URL_LISTE).status_code == 200  # engineers may read the list
        client.post(URL_LISTE, {"action": "approuver", "_selected_action": [Expiration.objects.first().pk]})

    assert set(Expiration.objects.values_list("etat", flat=True)) == {EtatExpiration.A_APPROUVER}


def test_approuver_deux_fois_n_anonymise_qu_une_fois(passe, pilote):
    with time_machine.travel(_apres_la_cloture(passe), tick=False):
        services.lister_expirations()
    expiration = Expiration.objects.get(candidature=passe.non_retenue)

    assert services.anonymiser_expiration(expiration.pk) is False  # not approved yet
    assert services.approuver(Expiration.objects.filter(pk=expiration.pk), par=pilote) == 1
    assert services.approuver(Expiration.objects.filter(pk=expiration.pk), par=pilote) == 0
    assert services.anonymiser_expiration(expiration.pk) is True
    assert services.anonymiser_expiration(expiration.pk) is False  # a task delivered twice
    assert EntreeJournal.objects.filter(action=Action.CONSERVATION_APPROUVEE).count() == 1


def test_purge_automatique_sans_approbation(passe, settings):
    settings.PURGE_AUTOMATIQUE = True
    with time_machine.travel(_apres_la_cloture(passe), tick=False):
        services.lister_expirations()

    assert set(Expiration.objects.values_list("etat", flat=True)) == {EtatExpiration.ANONYMISEE}
    assert Utilisateur.objects.get(pk=passe.non_retenue.utilisateur_id).anonymise_le is not None
    entree = EntreeJournal.objects.filter(action=Action.CONSERVATION_AUTOMATIQUE).first()
    assert entree is not None and entree.par is None


def test_journal_liste_apres_sa_duree_puis_purge(pilote, settings):
    settings.CONSERVATION_JOURNAL_JOURS = 30
    ancienne = journal.consigner(Action.EXPORT, par=pilote, details={"document": "candidatures"})
    historique_ancien = _historique(pilote)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        recente = journal.consigner(Action.EXPORT, par=pilote, details={"document": "binômes"})
        historique_recent = _historique(pilote)
        assert services.lister_expirations() == 1
        assert services.lister_expirations() == 0  # one listing of the journal awaiting approval at a time
        expiration = Expiration.objects.get(nature=Nature.JOURNAL)
        assert expiration.nombre == 1

        services.approuver(Expiration.objects.filter(pk=expiration.pk), par=pilote)
        services.anonymiser_approuvees()

    restantes = set(EntreeJournal.objects.values_list("pk", flat=True))
    assert ancienne.pk not in restantes
    assert recente.pk in restantes
    approbation = EntreeJournal.objects.get(action=Action.CONSERVATION_APPROUVEE)
    assert approbation.details == {
        "nature": "Entrées du journal d'audit",
        "entrees_supprimees": 1,
        "historique_supprime": 1,
    }
    # The admin's history follows the journal's period.
    assert list(LogEntry.objects.values_list("pk", flat=True)) == [historique_recent.pk]
    assert historique_ancien.pk != historique_recent.pk


def _historique(pilote) -> LogEntry:
    return LogEntry.objects.create(
        user=pilote,
        content_type=ContentType.objects.get_for_model(Utilisateur),
        object_id=str(pilote.pk),
        object_repr=str(pilote),
        action_flag=CHANGE,
        change_message="[]",
    )


def test_les_echecs_de_connexion_anciens_sont_effaces(db, settings):
    from axes.models import AccessAttempt

    settings.CONSERVATION_JOURNAL_JOURS = 30
    AccessAttempt.objects.create(
        username="quelqu.un@exemple.fr", ip_address="10.0.0.1", user_agent="x", failures_since_start=2
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        services.lister_expirations()

    assert not AccessAttempt.objects.exists()


def test_la_page_de_la_liste_a_un_nombre_constant_de_requetes(client, pilote, passe, django_assert_max_num_queries):
    with time_machine.travel(_apres_le_bilan(passe), tick=False):
        services.lister_expirations()
        client.force_login(pilote)
        # Session, user, groups, OTP device, the count, the page of rows with their people and promotions, etc.
        with django_assert_max_num_queries(14):
            assert client.get(URL_LISTE).status_code == 200


def test_une_approbation_non_executee_l_est_au_passage_suivant(passe, pilote):
    """The task enqueued after the approval was lost (a worker down): the next daily run carries it out."""
    with time_machine.travel(_apres_la_cloture(passe), tick=False):
        services.lister_expirations()
        services.approuver(Expiration.objects.all(), par=pilote)  # its on-commit task never runs here
        assert set(Expiration.objects.values_list("etat", flat=True)) == {EtatExpiration.APPROUVEE}

        services.lister_expirations()

    assert set(Expiration.objects.values_list("etat", flat=True)) == {EtatExpiration.ANONYMISEE}
    assert set(EntreeJournal.objects.filter(action=Action.CONSERVATION_APPROUVEE).values_list("par", flat=True)) == {
        pilote.pk
    }
