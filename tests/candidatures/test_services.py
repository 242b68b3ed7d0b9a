"""The status workflow: one function, who and when recorded, the applicant notified after commit."""

import pytest
from django.db import IntegrityError, transaction

from candidatures import services
from candidatures.models import Candidature, Orientation, Statut
from mentorat.models import Utilisateur
from tests.factories import CandidatureFactory

pytestmark = pytest.mark.django_db


def test_retenir_enregistre_qui_quand_et_notifie(candidat, pilote, mailoutbox, apres_commit):
    with apres_commit():
        services.changer_statut(candidature=candidat, statut=Statut.RETENUE, par=pilote)

    candidat.refresh_from_db()
    assert (candidat.statut, candidat.decide_par) == (Statut.RETENUE, pilote)
    assert candidat.decide_le is not None
    assert [m.to for m in mailoutbox] == [[candidat.utilisateur.email]]
    assert "le comité a retenu votre candidature" in mailoutbox[0].body


def test_non_retenue_avec_orientation_coaching(candidat, pilote, mailoutbox, apres_commit):
    with apres_commit():
        services.changer_statut(
            candidature=candidat, statut=Statut.NON_RETENUE, par=pilote, orientation=Orientation.COACHING
        )

    candidat.refresh_from_db()
    assert (candidat.statut, candidat.orientation) == (Statut.NON_RETENUE, Orientation.COACHING)
    assert "accompagnement par coaching individuel" in mailoutbox[0].body


def test_orientation_ignoree_hors_non_retenue(candidat, pilote):
    services.changer_statut(candidature=candidat, statut=Statut.RETENUE, par=pilote, orientation=Orientation.ATELIER)

    candidat.refresh_from_db()
    assert candidat.orientation == Orientation.AUCUNE


def test_transition_interdite_ne_change_rien(candidat, pilote, mailoutbox, apres_commit):
    services.changer_statut(candidature=candidat, statut=Statut.RETIREE, par=candidat.utilisateur)

    with pytest.raises(services.CandidatureRefusee, match="ne peut pas passer au statut « Retenue »"), apres_commit():
        services.changer_statut(candidature=candidat, statut=Statut.RETENUE, par=pilote)

    candidat.refresh_from_db()
    assert candidat.statut == Statut.RETIREE


def test_soumise_ne_peut_pas_etre_retenue_directement(promotion, pilote):
    candidature = CandidatureFactory(promotion=promotion, statut=Statut.SOUMISE)

    with pytest.raises(services.CandidatureRefusee):
        services.changer_statut(candidature=candidature, statut=Statut.RETENUE, par=pilote)


def test_contrainte_une_candidature_par_personne_et_promotion(candidat):
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidatureFactory(promotion=candidat.promotion, utilisateur=candidat.utilisateur)

    assert Candidature.objects.count() == 1


def _donnees(promotion, **champs):
    return {
        "telephone": "",
        "corps": "DH",
        "fonction": "Directrice adjointe",
        "etablissement": "CH de Vannes",
        "type_etablissement": "sanitaire",
        "ght": "",
        "departement": "56",
        "date_premier_poste": promotion.date_premier_poste,
        "motivation": "Apprendre.",
        "mode_rencontre": "visio",
        "enjeux_declares": "",
        "consentement_donnees": True,
        "charte_acceptee": True,
        **champs,
    }


def test_deuxieme_soumission_de_la_meme_personne_refusee_sans_doublon(promotion, utilisateur):
    services.soumettre_candidature(
        promotion=promotion, role="mentore", donnees=_donnees(promotion), themes=[], utilisateur=utilisateur
    )

    with pytest.raises(services.CandidatureRefusee, match="déjà déposé une candidature"):
        services.soumettre_candidature(
            promotion=promotion, role="mentore", donnees=_donnees(promotion), themes=[], utilisateur=utilisateur
        )

    assert Candidature.objects.filter(utilisateur=utilisateur).count() == 1


def test_soumission_ineligible_refusee_par_le_service_sans_compte_cree(promotion):
    compte = services.NouveauCompte(email="x@exemple.fr", prenom="X", nom="Y", mot_de_passe="Une-phrase-2025")
    donnees = _donnees(promotion, date_premier_poste=None)

    with pytest.raises(services.CandidatureRefusee, match="premier poste"):
        services.soumettre_candidature(promotion=promotion, role="mentore", donnees=donnees, themes=[], compte=compte)

    assert Candidature.objects.count() == 0
    assert not Utilisateur.objects.filter(email="x@exemple.fr").exists()


def test_region_derivee_du_departement(promotion, utilisateur):
    candidature = services.soumettre_candidature(
        promotion=promotion, role="mentore", donnees=_donnees(promotion), themes=[], utilisateur=utilisateur
    )

    assert candidature.region == "Bretagne"


def test_meme_personne_quelle_que_soit_la_casse_refusee_par_la_base(utilisateur):
    """The form and the service check the address; the database refuses even what gets past them (a race)."""
    Utilisateur.objects.filter(pk=utilisateur.pk).update(email="Aurore.Delabarre@CH-exemple.fr")

    with pytest.raises(IntegrityError), transaction.atomic():
        Utilisateur.objects.create(email="aurore.delabarre@ch-exemple.fr", prenom="Aurore", nom="Delabarre")


def test_nouveau_compte_d_une_adresse_connue_en_majuscules_refuse(promotion, utilisateur):
    services.soumettre_candidature(
        promotion=promotion, role="mentore", donnees=_donnees(promotion), themes=[], utilisateur=utilisateur
    )
    compte = services.NouveauCompte(
        email=utilisateur.email.upper(), prenom="X", nom="Y", mot_de_passe="Une-phrase-de-passe-2025"
    )

    with pytest.raises(services.CandidatureRefusee, match="Un compte existe déjà"):
        services.soumettre_candidature(
            promotion=promotion, role="mentore", donnees=_donnees(promotion), themes=[], compte=compte
        )

    assert Candidature.objects.count() == 1
    assert Utilisateur.objects.count() == 1


def test_nouveau_lien_de_confirmation_envoye_par_la_tache(utilisateur, mailoutbox, apres_commit):
    Utilisateur.objects.filter(pk=utilisateur.pk).update(email_confirme=False)
    utilisateur.refresh_from_db()

    with apres_commit():
        assert services.renvoyer_confirmation_email(utilisateur=utilisateur) is True

    assert [m.to for m in mailoutbox] == [[utilisateur.email]]
    assert "Ce lien est valable 3 jours." in mailoutbox[0].body


def test_decision_annulee_avec_sa_transaction_ne_previent_personne(candidat, pilote, mailoutbox, apres_commit):
    """The e-mail leaves only once the decision is committed: a rolled-back decision notifies no one."""
    with apres_commit(), pytest.raises(RuntimeError), transaction.atomic():
        services.changer_statut(candidature=candidat, statut=Statut.RETENUE, par=pilote)
        raise RuntimeError("panne après la décision")

    candidat.refresh_from_db()
    assert candidat.statut == Statut.RECEVABLE
    assert mailoutbox == []
