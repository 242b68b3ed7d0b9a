"""The pair's year moving by itself: the joint confirmation at the launch day, the two-week flag, the bilan day.

Each test travels to the day that matters (time-machine) and runs the daily jobs as beat would.
"""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from binomes import services, tasks
from binomes.models import Binome, Engagement, StatutBinome
from mentorat import quotidien
from tests.factories import BinomeFactory, PromotionFactory


def a_midi(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(12, 0)))


@pytest.fixture
def promotion(db):
    return PromotionFactory(journee_lancement=timezone.localdate() + datetime.timedelta(days=30))


@pytest.fixture
def propose(promotion, ingenieur):
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.PROPOSE)
    for membre in binome.membres():
        services.signer_charte(binome=binome, utilisateur=membre)
    return binome


def statut(binome) -> str:
    return Binome.objects.values_list("statut", flat=True).get(pk=binome.pk)


def test_la_confirmation_commune_n_ouvre_qu_a_la_journee_de_lancement(propose, promotion):
    veille = promotion.journee_lancement - datetime.timedelta(days=1)
    mentor, mentore = propose.membres()

    with time_machine.travel(a_midi(veille)), pytest.raises(services.ConfirmationPasOuverte, match="s'ouvre le"):
        services.confirmer_engagement(binome=propose, utilisateur=mentor)
    assert not Engagement.objects.filter(absence_enjeux_confirmee_le__isnull=False).exists()

    with time_machine.travel(a_midi(promotion.journee_lancement)):
        services.confirmer_engagement(binome=propose, utilisateur=mentor)
        assert statut(propose) == StatutBinome.PROPOSE  # one member alone does not confirm the pair
        services.confirmer_engagement(binome=propose, utilisateur=mentore)
    assert statut(propose) == StatutBinome.ACTIF


def test_la_promotion_peut_ouvrir_la_confirmation_plus_tot(propose, promotion):
    promotion.ouverture_confirmation = promotion.journee_lancement - datetime.timedelta(days=7)
    promotion.save()
    propose.refresh_from_db()

    with time_machine.travel(a_midi(promotion.journee_lancement - datetime.timedelta(days=3))):
        for membre in propose.membres():
            services.confirmer_engagement(binome=propose, utilisateur=membre)
    assert statut(propose) == StatutBinome.CONFIRME

    with time_machine.travel(a_midi(promotion.journee_lancement)):
        assert tasks.activer_binomes.delay().get() == 1
    assert statut(propose) == StatutBinome.ACTIF


def test_le_formulaire_de_confirmation_n_apparait_qu_au_lancement(connecte, propose, promotion):
    mentor = propose.mentor.utilisateur
    with time_machine.travel(a_midi(promotion.journee_lancement - datetime.timedelta(days=1))):
        avant = connecte(mentor).get(reverse("binomes:espace")).content.decode()
        refus = connecte(mentor).post(
            reverse("binomes:confirmer_engagement", args=[propose.pk]),
            {"absence_enjeux": "on", "engagement": "on"},
            follow=True,
        )
    with time_machine.travel(a_midi(promotion.journee_lancement)):
        pendant = connecte(mentor).get(reverse("binomes:espace")).content.decode()

    assert 'id="confirmation-a-venir"' in avant and "Confirmer mon engagement" not in avant
    assert "La confirmation commune s&#x27;ouvre le" in refus.content.decode()
    assert "Confirmer mon engagement" in pendant
    assert "Demander l&#x27;arrêt" not in pendant  # a pair not confirmed cannot ask to stop
    assert 'id="arret-apres-confirmation"' in pendant


def test_un_binome_seulement_propose_ne_peut_demander_l_arret(propose):
    with pytest.raises(services.BinomeRefuse, match="une fois le binôme confirmé"):
        services.demander_arret(binome=propose, par=propose.mentore.utilisateur, motif="relation")


def test_deux_semaines_apres_le_lancement_le_binome_non_confirme_est_signale(
    propose, promotion, ingenieur, django_capture_on_commit_callbacks
):
    confirme = BinomeFactory(promotion=promotion, statut=StatutBinome.CONFIRME)
    treizieme = promotion.journee_lancement + datetime.timedelta(days=13)

    with time_machine.travel(a_midi(treizieme)):
        assert services.signaler_non_confirmes(aujourd_hui=timezone.localdate()) == []
    with (
        time_machine.travel(a_midi(treizieme + datetime.timedelta(days=1))),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.signaler_non_confirmes.delay().get() == 1
        assert tasks.signaler_non_confirmes.delay().get() == 0  # flagged once

    propose.refresh_from_db()
    assert propose.non_confirme_signale_le is not None
    assert Binome.objects.get(pk=confirme.pk).non_confirme_signale_le is None
    assert [m.to for m in mail.outbox] == [[ingenieur.email]]
    assert "n'ont pas encore confirmé ensemble" in mail.outbox[0].body
    assert reverse("suivi:binome", args=[propose.pk]) in mail.outbox[0].body


def test_le_binome_signale_figure_au_tableau_de_bord(connecte, propose, promotion, ingenieur):
    with time_machine.travel(a_midi(promotion.journee_lancement + datetime.timedelta(days=20))):
        services.signaler_non_confirmes(aujourd_hui=timezone.localdate())
        client = connecte(ingenieur)
        page = client.get(reverse("suivi:tableau_de_bord"), {"promotion": promotion.pk})
        suivi = client.get(reverse("suivi:binome", args=[propose.pk])).content.decode()

    assert [t.binome for t in page.context["tableaux"]] == [propose]
    assert "Non confirmé" in page.content.decode()
    assert 'id="non-confirme"' in suivi


def test_a_la_journee_de_bilan_les_binomes_se_terminent(promotion):
    actif = BinomeFactory(promotion=promotion, statut=StatutBinome.ACTIF)
    confirme = BinomeFactory(promotion=promotion, statut=StatutBinome.CONFIRME)
    arrete = BinomeFactory(promotion=promotion, statut=StatutBinome.ARRETE, date_arret=timezone.localdate())
    propose = BinomeFactory(promotion=promotion, statut=StatutBinome.PROPOSE)
    autre = BinomeFactory(
        promotion=PromotionFactory(
            est_courante=False, journee_lancement=promotion.journee_lancement + datetime.timedelta(days=1)
        ),
        statut=StatutBinome.ACTIF,
    )

    with time_machine.travel(a_midi(promotion.journee_bilan - datetime.timedelta(days=1))):
        assert tasks.terminer_binomes.delay().get() == 0
    with time_machine.travel(a_midi(promotion.journee_bilan)):
        assert tasks.terminer_binomes.delay().get() == 2
        assert tasks.terminer_binomes.delay().get() == 0  # idempotent

    assert [statut(b) for b in (actif, confirme, arrete, propose, autre)] == [
        StatutBinome.TERMINE,
        StatutBinome.TERMINE,
        StatutBinome.ARRETE,
        StatutBinome.PROPOSE,
        StatutBinome.ACTIF,
    ]


def test_un_binome_termine_et_un_binome_arrete_se_distinguent(connecte, promotion, ingenieur):
    termine = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.TERMINE)
    arrete = BinomeFactory(
        promotion=promotion, referent=ingenieur, statut=StatutBinome.ARRETE, date_arret=promotion.journee_lancement
    )
    with time_machine.travel(a_midi(promotion.journee_bilan + datetime.timedelta(days=3))):
        client = connecte(ingenieur)  # a session opened now: the one of a year ago would have expired
        page = client.get(reverse("suivi:tableau_de_bord"), {"promotion": promotion.pk})
        seulement_termines = client.get(
            reverse("suivi:tableau_de_bord"), {"promotion": promotion.pk, "situation": "termine"}
        )
        csv = client.get(reverse("suivi:export_csv", args=[promotion.pk]), {"situation": "arrete"})
        espace = connecte(termine.mentore.utilisateur).get(reverse("binomes:espace")).content.decode()

    assert [(t.binome, t.vigilance.label) for t in page.context["tableaux"]] == [
        (termine, "Terminé"),
        (arrete, "Arrêté"),
    ]
    assert [t.binome for t in seulement_termines.context["tableaux"]] == [termine]
    lignes = csv.content.decode("utf-8-sig").splitlines()[1:]
    assert [ligne.split(";")[3] for ligne in lignes] == ["Arrêté"]
    assert 'id="annee-terminee"' in espace
    assert 'id="titre-calendrier"' not in espace  # nothing ahead of a finished pair


def test_les_taches_quotidiennes_font_avancer_l_annee(promotion, propose):
    """The quick start's daily run: activation, end of year, flags, reminders, questionnaires, retention, in order."""
    confirme = BinomeFactory(promotion=promotion, statut=StatutBinome.CONFIRME)

    with time_machine.travel(a_midi(promotion.journee_lancement + datetime.timedelta(days=15))):
        resultats = quotidien.executer()

    assert resultats == {
        "binomes.tasks.activer_binomes": 1,
        "binomes.tasks.terminer_binomes": 0,
        "binomes.tasks.signaler_non_confirmes": 1,
        "suivi.tasks.planifier_rappels": 0,
        "suivi.tasks.inviter_aux_temps_collectifs": 0,
        "evaluation.tasks.planifier_envois": 0,
        "rgpd.tasks.lister_expirations": 0,
        "suivi.tasks.supprimer_exports_expires": 0,
    }
    assert statut(confirme) == StatutBinome.ACTIF


@pytest.mark.parametrize(
    ("maintenant", "attendu"),
    [
        (datetime.datetime(2026, 12, 2, 7, 0), 3600),  # Paris, 8 o'clock today
        (datetime.datetime(2026, 12, 2, 8, 0), 24 * 3600),  # exactly the hour: tomorrow's
        (datetime.datetime(2027, 3, 27, 9, 0), 22 * 3600),  # tomorrow's, over the night the clocks go forward
    ],
)
def test_secondes_avant_la_prochaine_execution(maintenant, attendu):
    paris = timezone.get_default_timezone()
    assert quotidien.secondes_avant(8, maintenant.replace(tzinfo=paris)) == attendu


def test_la_commande_des_taches_quotidiennes_les_execute_et_dit_chaque_resultat(promotion, propose):
    """`manage.py taches_quotidiennes`, the daily jobs run once by hand: one line per job and its result, in order."""
    BinomeFactory(promotion=promotion, statut=StatutBinome.CONFIRME)
    sortie = io.StringIO()

    with time_machine.travel(a_midi(promotion.journee_lancement + datetime.timedelta(days=15))):
        call_command("taches_quotidiennes", stdout=sortie)

    lignes = sortie.getvalue().splitlines()
    assert lignes[:3] == [
        "binomes.tasks.activer_binomes : 1",
        "binomes.tasks.terminer_binomes : 0",
        "binomes.tasks.signaler_non_confirmes : 1",
    ]
    assert lignes[-1] == "suivi.tasks.supprimer_exports_expires : 0"
