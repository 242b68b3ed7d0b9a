"""The reminder rule on its boundaries: pure function, then the daily task under time-machine."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from binomes.models import StatutBinome
from suivi import services
from suivi.models import EtatRencontre, Rappel, TypeRappel
from suivi.rappels import Silence, ecart_depasse, rappel_du
from suivi.tasks import planifier_rappels
from tests.factories import BinomeFactory, PromotionFactory
from tests.suivi.factories import RencontreFactory

LANCEMENT = datetime.date(2031, 1, 8)
FIN = datetime.date(2031, 12, 31)
DERNIERE = datetime.date(2031, 2, 1)


def jour(n: int) -> datetime.date:
    return DERNIERE + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("n", "attendu"),
    [(0, None), (41, None), (42, "planifier"), (55, "planifier"), (56, "alerte"), (57, "alerte")],
)
def test_rappel_du_compte_depuis_la_derniere_rencontre_tenue(n, attendu):
    assert rappel_du(Silence(LANCEMENT, FIN, DERNIERE), jour(n)) == attendu


@pytest.mark.parametrize(("n", "attendu"), [(41, None), (42, "planifier"), (56, "alerte")])
def test_rappel_du_compte_depuis_le_lancement_sans_rencontre(n, attendu):
    assert rappel_du(Silence(LANCEMENT, FIN, None), LANCEMENT + datetime.timedelta(days=n)) == attendu


def test_rappel_du_suit_l_ecart_maximal_de_la_promotion():
    silence = Silence(LANCEMENT, FIN, DERNIERE, datetime.timedelta(weeks=10))

    assert [rappel_du(silence, jour(n)) for n in (56, 69, 70)] == ["planifier", "planifier", "alerte"]


def test_rappel_du_pas_de_relance_si_la_prochaine_rencontre_est_deja_prevue_mais_l_alerte_reste():
    silence = Silence(LANCEMENT, FIN, DERNIERE, prevue_a_venir=True)

    assert [rappel_du(silence, jour(n)) for n in (42, 55, 56)] == [None, None, "alerte"]


def test_rappel_du_rien_apres_la_fin_ni_avant_le_lancement():
    assert rappel_du(Silence(LANCEMENT, FIN, DERNIERE), FIN + datetime.timedelta(days=1)) is None
    assert rappel_du(Silence(LANCEMENT, FIN, None), LANCEMENT - datetime.timedelta(days=60)) is None


def test_ecart_depasse_au_dela_de_huit_semaines_seulement():
    assert ecart_depasse(DERNIERE, jour(56)) is False
    assert ecart_depasse(DERNIERE, jour(57)) is True


def _a_7_heures(date: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(date, datetime.time(7, 0), tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def binome_silencieux(db, ingenieur):
    promotion = PromotionFactory(journee_lancement=LANCEMENT, fin=FIN, journee_bilan=FIN - datetime.timedelta(days=20))
    binome = BinomeFactory(promotion=promotion, referent=ingenieur)
    RencontreFactory(binome=binome, date=DERNIERE)
    return binome


@pytest.fixture
def _lancer_le(django_capture_on_commit_callbacks):
    def lancer(n: int) -> None:
        with time_machine.travel(_a_7_heures(jour(n)), tick=False), django_capture_on_commit_callbacks(execute=True):
            planifier_rappels.delay()

    return lancer


@pytest.mark.parametrize("n", [0, 41])
def test_tache_rien_avant_six_semaines(binome_silencieux, mailoutbox, n, _lancer_le):
    _lancer_le(n)

    assert mailoutbox == []
    assert not Rappel.objects.exists()


def test_tache_relance_le_mentore_au_jour_42_mentor_en_copie(binome_silencieux, mailoutbox, _lancer_le):
    _lancer_le(42)

    [message] = mailoutbox
    assert message.to == [binome_silencieux.mentore.utilisateur.email]
    assert message.cc == [binome_silencieux.mentor.utilisateur.email]
    assert message.subject == "Mentorat : pensez à fixer votre prochaine rencontre"
    assert "depuis le 1er février 2031" in message.body


def test_tache_jour_55_ne_relance_pas_une_seconde_fois(binome_silencieux, mailoutbox, _lancer_le):
    _lancer_le(42)
    _lancer_le(55)

    assert len(mailoutbox) == 1


def test_tache_alerte_le_binome_et_le_referent_au_jour_56_puis_plus_rien(binome_silencieux, mailoutbox, _lancer_le):
    _lancer_le(42)
    _lancer_le(55)
    _lancer_le(56)
    _lancer_le(57)

    assert [m.subject for m in mailoutbox] == [
        "Mentorat : pensez à fixer votre prochaine rencontre",
        "Mentorat : 8 semaines sans rencontre",
    ]
    alerte = mailoutbox[1]
    membres = binome_silencieux.mentore.utilisateur.email, binome_silencieux.mentor.utilisateur.email
    assert alerte.to == list(membres)
    assert alerte.cc == [binome_silencieux.referent.email]
    assert list(Rappel.objects.values_list("type", flat=True).order_by("type")) == [
        TypeRappel.ALERTE,
        TypeRappel.PLANIFIER,
    ]


def test_tache_alerte_directement_si_la_tache_n_a_pas_tourne_avant(binome_silencieux, mailoutbox, _lancer_le):
    _lancer_le(57)

    assert [m.subject for m in mailoutbox] == ["Mentorat : 8 semaines sans rencontre"]


@pytest.mark.parametrize("statut", [StatutBinome.ARRETE, StatutBinome.TERMINE, StatutBinome.PROPOSE])
def test_tache_rien_pour_les_binomes_arretes_termines_ou_proposes(binome_silencieux, mailoutbox, statut, _lancer_le):
    binome_silencieux.statut = statut
    binome_silencieux.save()

    _lancer_le(60)

    assert mailoutbox == []


def test_tache_une_rencontre_tenue_remet_le_compteur_a_zero(binome_silencieux, mailoutbox, _lancer_le):
    RencontreFactory(binome=binome_silencieux, date=jour(30))

    _lancer_le(42)

    assert mailoutbox == []


def test_tache_compte_les_jours_a_l_heure_de_paris(binome_silencieux, mailoutbox, django_capture_on_commit_callbacks):
    # 23:30 UTC on day 41 is already 00:30 on day 42 in Paris (UTC+1 in winter); 22:30 UTC is still day 41.
    for heure_utc, attendus in ((22, 0), (23, 1)):
        instant = datetime.datetime.combine(jour(41), datetime.time(heure_utc, 30), tzinfo=datetime.UTC)
        with time_machine.travel(instant, tick=False), django_capture_on_commit_callbacks(execute=True):
            planifier_rappels.delay()
        assert len(mailoutbox) == attendus, heure_utc


def test_tache_pas_de_relance_quand_la_rencontre_suivante_est_prevue(binome_silencieux, mailoutbox, _lancer_le):
    RencontreFactory(binome=binome_silencieux, date=jour(60), etat=EtatRencontre.PREVUE)

    _lancer_le(42)
    _lancer_le(56)

    assert [m.subject for m in mailoutbox] == ["Mentorat : 8 semaines sans rencontre"]


TENUE, PREVUE = EtatRencontre.TENUE, EtatRencontre.PREVUE


def test_selection_des_binomes_a_relancer_egale_la_regle(db, ingenieur):
    """Each pair's meetings (days from today, state) against the rule computed here from all of them:
    reference = last meeting held up to today, else the launch day; selected when 42 days or more ago."""
    aujourd_hui = LANCEMENT + datetime.timedelta(days=100)
    lancee = PromotionFactory(journee_lancement=LANCEMENT, fin=FIN)
    recente = PromotionFactory(journee_lancement=aujourd_hui - datetime.timedelta(days=20), fin=FIN, est_courante=False)
    cas = [
        (lancee, []),
        (lancee, [(-10, TENUE)]),
        (lancee, [(-42, TENUE)]),
        (lancee, [(-41, TENUE)]),
        (lancee, [(0, TENUE)]),
        (lancee, [(-50, TENUE), (-5, TENUE)]),
        (lancee, [(-50, TENUE), (3, PREVUE)]),
        (lancee, [(-50, TENUE), (-3, PREVUE)]),
        (lancee, [(-60, TENUE), (5, TENUE)]),  # a held meeting dated ahead is not counted
        (recente, []),
        (recente, [(-50, TENUE)]),  # held before the launch day (recorded by an engineer)
    ]
    attendus = set()
    for promotion, rencontres in cas:
        binome = BinomeFactory(promotion=promotion, referent=ingenieur)
        for jours, etat in rencontres:
            RencontreFactory(binome=binome, date=aujourd_hui + datetime.timedelta(days=jours), etat=etat)
        tenues = [aujourd_hui + datetime.timedelta(days=j) for j, e in rencontres if e == TENUE and j <= 0]
        reference = max(tenues, default=promotion.journee_lancement)
        if (aujourd_hui - reference).days >= 42:
            prevue = any(e == PREVUE and j >= 0 for j, e in rencontres)
            attendus.add((binome.pk, reference, prevue))
    BinomeFactory(promotion=lancee, referent=ingenieur, statut=StatutBinome.ARRETE)

    selection = {(pk, ref, prevue) for pk, ref, _l, _f, _s, prevue in services.binomes_a_relancer(aujourd_hui)}

    assert selection == attendus
    assert len(attendus) == 6
