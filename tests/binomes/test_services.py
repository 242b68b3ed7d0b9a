"""The committee's proposal and its validation, the pair's commitments and early stop, on the real database."""

import datetime
import threading
import time

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from binomes import services
from binomes.matrice import calculer_matrice, laisses_de_cote
from binomes.models import Binome, Charte, Engagement, Exclusion, LigneProposition, Proposition, StatutBinome
from candidatures.models import Role, Statut
from mentorat.models import Utilisateur
from tests.factories import BinomeFactory, IngenieurFactory, PromotionFactory

from .conftest import mentor_retenu, mentore_retenu

pytestmark = pytest.mark.django_db


def lignes(proposition):
    return sorted(
        (ligne.mentore.utilisateur.prenom, ligne.mentor.utilisateur.prenom) for ligne in proposition.lignes.all()
    )


# --- matrix ----------------------------------------------------------------------


def test_matrice_ne_prend_que_les_candidats_retenus(promotion, retenus):
    mentore_retenu(promotion, statut=Statut.NON_RETENUE)
    mentor_retenu(promotion, statut=Statut.RECEVABLE)
    mentore_retenu(PromotionFactory(est_courante=False))

    matrice = calculer_matrice(promotion)

    assert [c.utilisateur.prenom for c in matrice.mentores] == ["Anne", "Bruno"]
    assert [c.utilisateur.prenom for c in matrice.mentors] == ["Xavier", "Yasmine"]


def test_matrice_exclut_un_ancien_binome_d_une_autre_promotion(promotion, retenus, ingenieur):
    a, _b, x, _y = retenus
    ancienne = PromotionFactory(est_courante=False)
    BinomeFactory(
        promotion=ancienne,
        mentore__utilisateur=a.utilisateur,
        mentor__utilisateur=x.utilisateur,
        referent=ingenieur,
    )

    matrice = calculer_matrice(promotion)

    assert matrice.motif(0, 0) == "Déjà en binôme ensemble lors d'une promotion précédente"
    assert matrice.motif(0, 1) == ""


def test_matrice_exclusion_manuelle_avec_son_motif(promotion, retenus, pilote):
    a, _b, x, _y = retenus
    services.exclure(promotion=promotion, mentore=a, mentor=x, motif="Anciens collègues de direction", par=pilote)

    matrice = calculer_matrice(promotion)

    assert matrice.motif(0, 0) == "Exclusion décidée par le comité : Anciens collègues de direction"


def test_exclure_refuse_un_candidat_d_une_autre_promotion(promotion, retenus, pilote):
    a, _b, _x, _y = retenus
    ailleurs = mentor_retenu(PromotionFactory(est_courante=False))

    with pytest.raises(services.AppariementRefuse, match="n'est pas un mentor retenu de cette promotion"):
        services.exclure(promotion=promotion, mentore=a, mentor=ailleurs, motif="x", par=pilote)
    assert Exclusion.objects.count() == 0


def test_exclure_refuse_un_candidat_non_retenu(promotion, retenus, pilote):
    _a, _b, x, _y = retenus
    non_retenue = mentore_retenu(
        promotion, statut=Statut.NON_RETENUE, utilisateur__prenom="Nora", utilisateur__nom="Nonretenue"
    )

    with pytest.raises(services.AppariementRefuse, match="Nora Nonretenue n'est pas une personne mentorée retenue"):
        services.exclure(promotion=promotion, mentore=non_retenue, mentor=x, motif="x", par=pilote)
    assert Exclusion.objects.count() == 0


# --- proposal --------------------------------------------------------------------


def test_proposer_maximise_le_total(promotion, retenus, pilote, ingenieur):
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    assert lignes(proposition) == [("Anne", "Yasmine"), ("Bruno", "Xavier")]
    assert [ligne.referent for ligne in proposition.lignes.all()] == [ingenieur, ingenieur]
    assert Binome.objects.count() == 0


def test_proposer_garde_les_lignes_verrouillees(promotion, retenus, pilote):
    a, _b, x, _y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.all().delete()
    services.ajouter_ligne(proposition=proposition, mentore=a, mentor=x, par=pilote)

    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    assert lignes(proposition) == [("Anne", "Xavier"), ("Bruno", "Yasmine")]
    assert proposition.lignes.get(mentore=a).verrouillee is True


def test_proposer_ne_propose_jamais_une_paire_exclue(promotion, retenus, pilote):
    a, b, _x, y = retenus
    services.exclure(promotion=promotion, mentore=a, mentor=y, motif="Conflit", par=pilote)
    services.exclure(promotion=promotion, mentore=b, mentor=y, motif="Conflit", par=pilote)

    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    # Xavier (DS) goes to Bruno (DS) rather than to Anne (DH): same corps scores higher.
    assert lignes(proposition) == [("Bruno", "Xavier")]
    assert laisses_de_cote(promotion, proposition, Role.MENTORE) == [a]
    assert laisses_de_cote(promotion, proposition, Role.MENTOR) == [y]


def test_ajouter_ligne_refuse_un_candidat_non_retenu(promotion, retenus, pilote):
    a, _b, _x, _y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.all().delete()
    non_retenu = mentor_retenu(promotion, statut=Statut.NON_RETENUE, utilisateur__prenom="Nina", utilisateur__nom="Non")

    with pytest.raises(services.AppariementRefuse, match="Nina Non n'est pas un mentor retenu de cette promotion"):
        services.ajouter_ligne(proposition=proposition, mentore=a, mentor=non_retenu, par=pilote)
    assert proposition.lignes.count() == 0


def test_ajouter_ligne_refuse_une_personne_deux_fois(promotion, retenus, pilote):
    a, _b, x, _y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    with pytest.raises(services.AppariementRefuse, match="figure déjà dans la proposition"):
        services.ajouter_ligne(proposition=proposition, mentore=a, mentor=x, par=pilote)
    assert lignes(proposition) == [("Anne", "Yasmine"), ("Bruno", "Xavier")]


def test_ajouter_ligne_refuse_une_paire_exclue(promotion, retenus, pilote):
    a, _b, x, _y = retenus
    services.exclure(promotion=promotion, mentore=a, mentor=x, motif="Conflit", par=pilote)
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.all().delete()

    with pytest.raises(services.AppariementRefuse, match="Ce binôme est exclu : Exclusion décidée par le comité"):
        services.ajouter_ligne(proposition=proposition, mentore=a, mentor=x, par=pilote)


def test_echanger_mentors(promotion, retenus, pilote):
    a, b, _x, _y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    services.echanger_mentors(
        ligne_a=proposition.lignes.get(mentore=a), ligne_b=proposition.lignes.get(mentore=b), par=pilote
    )

    assert lignes(proposition) == [("Anne", "Xavier"), ("Bruno", "Yasmine")]


def test_ingenieurs_par_charge_le_moins_charge_d_abord(promotion):
    charge = IngenieurFactory(nom="Zola")
    libre = IngenieurFactory(nom="Abel")
    BinomeFactory(promotion=promotion, referent=charge)
    BinomeFactory(promotion=PromotionFactory(est_courante=False), referent=libre)

    assert list(Utilisateur.objects.ingenieurs_par_charge(promotion))[:2] == [libre, charge]


# --- validation --------------------------------------------------------------------


def test_valider_cree_les_binomes_et_previent_chacun(
    promotion, retenus, pilote, ingenieur, mailoutbox, django_capture_on_commit_callbacks
):
    a, _b, _x, y = retenus
    seul = mentore_retenu(promotion, utilisateur__prenom="Sacha", utilisateur__nom="Seul", departement="2A")
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    with django_capture_on_commit_callbacks(execute=True):
        binomes = services.valider_proposition(proposition=proposition, par=pilote, motif="Équilibre des thèmes")

    assert len(binomes) == 2
    binome = Binome.objects.get(mentore=a)
    assert (binome.mentor, binome.statut, binome.decide_par, binome.motif_decision, binome.referent) == (
        y,
        StatutBinome.PROPOSE,
        pilote,
        "Équilibre des thèmes",
        ingenieur,
    )
    assert not Proposition.objects.filter(promotion=promotion).exists()
    destinataires = sorted(m.to[0] for m in mailoutbox)
    assert len(mailoutbox) == 5
    assert seul.utilisateur.email in destinataires
    pour_anne = next(m for m in mailoutbox if m.to == [a.utilisateur.email])
    assert pour_anne.subject == f"Mentorat {promotion.nom} : votre binôme"
    assert "Yasmine Yilmaz" in pour_anne.body
    assert y.utilisateur.email in pour_anne.body
    assert "Ingrid Ingénieure" in pour_anne.body
    assert "(Paris)" in pour_anne.body
    pour_sacha = next(m for m in mailoutbox if m.to == [seul.utilisateur.email])
    assert pour_sacha.subject == f"Mentorat {promotion.nom} : pas de binôme cette année"


def test_second_tour_de_validation_ne_previent_pas_deux_fois_les_laisses_de_cote(
    promotion, retenus, pilote, ingenieur, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, x, _y = retenus
    seul = mentore_retenu(promotion, utilisateur__prenom="Sacha", utilisateur__nom="Seul", departement="2A")
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.exclude(mentore=a).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.valider_proposition(proposition=proposition, par=pilote, motif="Premier tour")
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    with django_capture_on_commit_callbacks(execute=True):
        services.valider_proposition(proposition=proposition, par=pilote, motif="Second tour")

    sujet = f"Mentorat {promotion.nom} : pas de binôme cette année"
    # After the first round Bruno, Xavier and Sacha were left out and told so; the second pairs Bruno with Xavier.
    # Sacha, left out again, is not told a second time.
    assert sorted(m.to[0] for m in mailoutbox if m.subject == sujet) == sorted(
        [seul.utilisateur.email, b.utilisateur.email, x.utilisateur.email]
    )


def test_valider_refuse_tout_si_une_personne_est_deja_en_binome(promotion, retenus, pilote, ingenieur, mailoutbox):
    a, _b, x, _y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    Binome.objects.create(promotion=promotion, mentore=a, mentor=x, referent=ingenieur, decide_par=pilote)

    with pytest.raises(services.AppariementRefuse, match="fait déjà partie d'un binôme"):
        services.valider_proposition(proposition=proposition, par=pilote, motif="Motif")

    assert Binome.objects.count() == 1
    assert LigneProposition.objects.filter(proposition=proposition).count() == 2
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_deux_validations_simultanees_une_seule_gagne(django_db_blocker):
    """Two committee members validate the same draft at the same moment, each on its own connection."""
    from tests.factories import PiloteFactory

    promotion = PromotionFactory()
    IngenieurFactory()
    mentore_retenu(promotion)
    mentor_retenu(promotion)
    premier, second = PiloteFactory(), PiloteFactory()
    services.proposer_appariement(promotion=promotion, par=premier)
    barriere = threading.Barrier(2)
    resultats = {}

    def valider(membre):
        try:
            proposition = Proposition.objects.get(promotion=promotion)
            barriere.wait(timeout=10)
            services.valider_proposition(proposition=proposition, par=membre, motif="En même temps")
            resultats[membre.pk] = "validé"
        except services.AppariementRefuse as refus:
            resultats[membre.pk] = str(refus)
        except Proposition.DoesNotExist:
            resultats[membre.pk] = "plus de proposition"
        finally:
            connection.close()

    fils = [threading.Thread(target=valider, args=(m,)) for m in (premier, second)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)

    assert sorted(resultats.values()) == [
        "Cette proposition vient d'être validée par un autre membre du comité : rien n'a été créé en double.",
        "validé",
    ]
    assert Binome.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("commun", ["mentor", "mentore"])
def test_contrainte_base_un_binome_par_personne_avec_deux_connexions(commun):
    """Two connections insert a pair with the same person; the second waits for the first's commit, then fails."""
    promotion = PromotionFactory()
    referent = IngenieurFactory()
    partage = {"mentor": mentor_retenu(promotion), "mentore": mentore_retenu(promotion)}
    autres = [{"mentor": mentor_retenu(promotion), "mentore": mentore_retenu(promotion)} for _rang in range(2)]
    premier_insere, resultats = threading.Event(), {}

    def inserer(rang: int):
        try:
            if rang == 1:
                premier_insere.wait(timeout=10)
            with transaction.atomic():
                Binome.objects.create(
                    promotion=promotion,
                    referent=referent,
                    decide_par=referent,
                    **{**autres[rang], commun: partage[commun]},
                )
                if rang == 0:
                    premier_insere.set()
                    time.sleep(0.5)  # still uncommitted while the second connection tries its insert
            resultats[rang] = "créé"
        except IntegrityError as erreur:
            resultats[rang] = type(erreur).__name__
        finally:
            connection.close()

    fils = [threading.Thread(target=inserer, args=(rang,)) for rang in (0, 1)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)

    assert resultats == {0: "créé", 1: "IntegrityError"}
    assert Binome.objects.filter(**{commun: partage[commun]}).count() == 1


def test_proposer_de_nouveau_apres_validation_laisse_les_binomes_formes(promotion, retenus, pilote, ingenieur):
    a, b, x, y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.exclude(mentore=a).delete()
    services.valider_proposition(proposition=proposition, par=pilote, motif="Premier binôme")
    tardif = mentor_retenu(
        promotion, utilisateur__prenom="Théo", utilisateur__nom="Tardif", departement="33", corps="DH"
    )

    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    # Anne and Yasmine, already a pair, are left out of the new computation; Bruno (DS) gets Xavier (DS).
    assert lignes(proposition) == [("Bruno", "Xavier")]
    services.valider_proposition(proposition=proposition, par=pilote, motif="Second tour")
    assert sorted(Binome.objects.values_list("mentore", "mentor")) == sorted([(a.pk, y.pk), (b.pk, x.pk)])
    assert laisses_de_cote(promotion, None, Role.MENTORE) == []
    assert laisses_de_cote(promotion, None, Role.MENTOR) == [tardif]


def test_ajouter_ligne_refuse_une_personne_deja_en_binome(promotion, retenus, pilote, ingenieur):
    a, b, _x, y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.exclude(mentore=a).delete()
    services.valider_proposition(proposition=proposition, par=pilote, motif="Premier binôme")
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.all().delete()

    with pytest.raises(services.AppariementRefuse, match="fait déjà partie d'un binôme validé de cette promotion"):
        services.ajouter_ligne(proposition=proposition, mentore=b, mentor=y, par=pilote)
    assert proposition.lignes.count() == 0


# --- commitments -------------------------------------------------------------------


def test_signer_charte_enregistre_la_version_et_le_moment(binome, mentor):
    with time_machine.travel(datetime.datetime(2031, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        engagement = services.signer_charte(binome=binome, utilisateur=mentor)

    assert engagement.charte == Charte.objects.get(version=1)
    assert engagement.charte_signee_le == datetime.datetime(2031, 3, 1, 10, tzinfo=datetime.UTC)


def test_confirme_quand_les_deux_ont_tout_fait_avant_le_lancement(promotion, ingenieur, pilote):
    """The committee opened the joint confirmation before the launch day: the pair is confirmed, not yet active."""
    promotion.ouverture_confirmation = timezone.localdate()
    promotion.save()
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.PROPOSE)
    mentor, mentore = binome.mentor.utilisateur, binome.mentore.utilisateur

    services.signer_charte(binome=binome, utilisateur=mentor)
    services.confirmer_engagement(binome=binome, utilisateur=mentor)
    services.signer_charte(binome=binome, utilisateur=mentore)
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.PROPOSE

    services.confirmer_engagement(binome=binome, utilisateur=mentore)
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.CONFIRME


def test_actif_directement_si_confirme_le_jour_du_lancement(promotion, ingenieur):
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.PROPOSE)
    lancement = timezone.make_aware(datetime.datetime.combine(promotion.journee_lancement, datetime.time(10)))
    with time_machine.travel(lancement, tick=False):
        for membre in binome.membres():
            services.signer_charte(binome=binome, utilisateur=membre)
            services.confirmer_engagement(binome=binome, utilisateur=membre)

    binome.refresh_from_db()
    assert binome.statut == StatutBinome.ACTIF


def test_activer_binomes_au_lancement(promotion, ingenieur):
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.CONFIRME)

    assert services.activer_binomes(aujourd_hui=promotion.journee_lancement - datetime.timedelta(days=1)) == 0
    assert services.activer_binomes(aujourd_hui=promotion.journee_lancement) == 1
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.ACTIF


def test_un_intrus_ne_peut_pas_signer(binome, intrus):
    with pytest.raises(services.BinomeRefuse, match="Seuls les deux membres"):
        services.signer_charte(binome=binome, utilisateur=intrus)
    assert Engagement.objects.count() == 0


def test_changer_statut_refuse_une_transition_impossible(binome):
    binome.statut = StatutBinome.ARRETE
    binome.save()

    with pytest.raises(services.BinomeRefuse, match="Un binôme « Arrêté » ne peut devenir « Actif »"):
        services.changer_statut(binome=binome, statut=StatutBinome.ACTIF)


# --- early stop ----------------------------------------------------------------------


def test_demander_arret_previent_le_referent(
    binome, mentore, ingenieur, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.demander_arret(binome=binome, par=mentore, motif="changement_poste")

    binome.refresh_from_db()
    assert (binome.arret_demande_par, binome.motif_arret, binome.statut) == (
        mentore,
        "changement_poste",
        StatutBinome.ACTIF,
    )
    assert [m.to for m in mailoutbox] == [[ingenieur.email], [binome.mentor.utilisateur.email], [mentore.email]]
    assert mailoutbox[0].subject == f"Demande d'arrêt anticipé : {binome}"
    assert "Changement de poste ou de situation" in mailoutbox[0].body
    pour_le_mentor, pour_la_mentoree = mailoutbox[1], mailoutbox[2]
    assert pour_le_mentor.subject == f"Mentorat {binome.promotion.nom} : arrêt anticipé demandé, une dernière rencontre"
    assert f"{mentore.get_full_name()} a demandé l'arrêt anticipé de votre binôme." in pour_le_mentor.body
    assert "Vous avez demandé l'arrêt anticipé de votre binôme." in pour_la_mentoree.body
    for message in (pour_le_mentor, pour_la_mentoree):
        assert "dernière rencontre" in message.body
        assert "questionnaire de fin de binôme" in message.body
        assert ingenieur.email in message.body


def test_demander_arret_une_seconde_fois_refuse_sans_nouveau_courriel(
    binome, mentore, mentor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.demander_arret(binome=binome, par=mentore, motif="relation")
    premiere = Binome.objects.get(pk=binome.pk).arret_demande_le
    mailoutbox.clear()

    with (
        pytest.raises(services.BinomeRefuse, match="L'arrêt de ce binôme est déjà demandé"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.demander_arret(binome=binome, par=mentor, motif="autre")

    binome.refresh_from_db()
    assert (binome.arret_demande_par, binome.motif_arret, binome.arret_demande_le) == (mentore, "relation", premiere)
    assert mailoutbox == []


def test_enregistrer_arret_garde_l_historique(binome, ingenieur):
    services.signer_charte(binome=binome, utilisateur=binome.mentor.utilisateur)
    jour = timezone.localdate()

    services.enregistrer_arret(binome=binome, par=ingenieur, date=jour)

    binome.refresh_from_db()
    assert (binome.statut, binome.date_arret, binome.arret_enregistre_par) == (StatutBinome.ARRETE, jour, ingenieur)
    assert Engagement.objects.filter(binome=binome).count() == 1


def test_changer_statut_juge_sur_le_statut_enregistre_pas_sur_un_objet_perime(promotion, ingenieur):
    """Two screens opened on the same pair: the second change is judged on what the first recorded."""
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.ACTIF)
    perime = Binome.objects.get(pk=binome.pk)
    services.enregistrer_arret(binome=binome, par=ingenieur, date=timezone.localdate())

    with pytest.raises(services.BinomeRefuse, match="Un binôme « Arrêté » ne peut devenir « Terminé »"):
        services.changer_statut(binome=perime, statut=StatutBinome.TERMINE)

    assert Binome.objects.get(pk=binome.pk).statut == StatutBinome.ARRETE
