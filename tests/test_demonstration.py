"""The demo's world, read: made once for the module (per test process) by `manage.py demo`, as the tests of its
figures and of its idempotence would each have made it (ten seconds or more each time).

The command writes in a transaction rolled back at the module's end; each test runs in a savepoint of it, as it
would in its own transaction. The demo's tests that need its e-mails to leave on commit stay in
tests/mentorat/test_demo.py.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature, Statut
from evaluation.models import Campagne, Invitation
from mentorat.models import Courriel, Promotion
from mentorat.tableau_de_bord import programme
from suivi import tableau
from suivi.models import EvenementCollectif, Rencontre, ReponseInvitation, TypeEvenement
from tests.factories import IngenieurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _demonstration(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def _comptes():
    return {
        modele._meta.label: modele.objects.count()
        for modele in apps.get_models()
        if modele._meta.app_label in {"mentorat", "candidatures", "binomes", "suivi", "evaluation"}
    }


def test_demo_idempotente_et_candidatures_ouvertes():
    premiers = _comptes()

    call_command("demo", stdout=io.StringIO())

    assert _comptes() == premiers
    assert Promotion.objects.courante().candidatures_ouvertes()
    assert premiers["mentorat.Utilisateur"] >= 4


def test_les_chiffres_du_tableau_de_bord_sont_ceux_de_la_base_sur_la_demonstration():
    ingenieur = IngenieurFactory()
    aujourd_hui = timezone.localdate()

    for promotion in Promotion.objects.all():
        tableau_ = programme(ingenieur, str(promotion.pk))
        candidatures = Candidature.objects.filter(promotion=promotion)
        binomes = Binome.objects.filter(promotion=promotion)
        assert dict(tableau_.entonnoir) == {
            "Candidatures déposées": candidatures.count(),
            "Jugées recevables": candidatures.filter(statut__in=Statut.jugees_recevables()).count(),
            "Retenues": candidatures.filter(statut=Statut.RETENUE).count(),
            "Personnes en binôme": candidatures.filter(binomes_comme_mentor__isnull=False).count()
            + candidatures.filter(binomes_comme_mentore__isnull=False).count(),
            "Binômes formés": binomes.count(),
            "Binômes confirmés": binomes.exclude(statut=StatutBinome.PROPOSE).count(),
            "Binômes actifs": binomes.filter(statut=StatutBinome.ACTIF).count(),
            "Binômes terminés": binomes.filter(statut=StatutBinome.TERMINE).count(),
            "Binômes arrêtés": binomes.filter(statut=StatutBinome.ARRETE).count(),
        }
        assert (
            sum(n for _mois, n in tableau_.rencontres_par_mois)
            == Rencontre.objects.tenues().filter(binome__promotion=promotion).count()
        )
        for taux in tableau_.taux:
            invitations = Invitation.objects.filter(campagne=taux.campagne)
            assert (taux.invitations, taux.reponses) == (
                invitations.count(),
                invitations.filter(a_repondu=True).count(),
            )
        if promotion.journee_lancement <= aujourd_hui <= promotion.fin:
            # The rhythm today, counted pair by pair as the tracking dashboard does.
            en_cours = binomes.filter(statut__in=StatutBinome.qui_se_rencontrent()).prefetch_related("rencontres")
            tableaux = [tableau.construire(b, aujourd_hui) for b in en_cours.select_related("promotion")]
            dans_les_temps = sum(t.vigilance != tableau.Vigilance.DEPASSE for t in tableaux)
            assert tableau_.rythme_actuel == (dans_les_temps, len(tableaux))
            assert tableau_.rythme[-1][1:] == (dans_les_temps, len(tableaux))
    assert Binome.objects.exists() and Campagne.objects.exists()  # the demo has something to count


def test_la_demo_montre_des_reponses_et_des_presences():
    bilan = EvenementCollectif.objects.filter(type=TypeEvenement.BILAN, participations__isnull=False).distinct().get()
    reponses = set(bilan.participations.values_list("reponse", flat=True))
    assert reponses == {"", ReponseInvitation.PRESENT, ReponseInvitation.ABSENT}
    assert Courriel.objects.filter(nom="evenement-invitation").count() == bilan.participations.count()
    lancement = EvenementCollectif.objects.get(promotion=bilan.promotion, type=TypeEvenement.LANCEMENT)
    assert set(lancement.participations.values_list("present", flat=True)) == {True, False}
