import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from candidatures.models import Orientation, Statut
from evaluation import services as evaluation
from evaluation import synthese
from evaluation.models import Campagne, Question, TypeCampagne
from mentorat import tableau_de_bord
from tests.evaluation.factories import CampagneFactory
from tests.factories import BinomeFactory, CandidatureFactory, PromotionFactory, ThemeFactory
from tests.suivi.factories import RencontreFactory


@dataclass
class Passe:
    """A promotion with its year behind it: a pair with meetings, two applications without a pair, a campaign."""

    promotion: Any
    binome: Any
    non_retenue: Any
    sans_binome: Any
    campagne: Any


@pytest.fixture
def passe(db, ingenieur) -> Passe:
    promotion: Any = PromotionFactory.create(est_courante=False)
    theme = ThemeFactory(nom="Management des équipes")
    binome: Any = BinomeFactory.create(
        promotion=promotion,
        referent=ingenieur,
        mentor__utilisateur__prenom="Marc",
        mentor__utilisateur__nom="Mentorin",
        mentore__utilisateur__prenom="Léa",
        mentore__utilisateur__nom="Mentorée",
        mentore__departement="64",
        mentore__motivation="Ma première direction, à Pau.",
    )
    for semaines in (2, 8):
        RencontreFactory(
            binome=binome,
            date=promotion.journee_lancement + datetime.timedelta(weeks=semaines),
            themes=[theme],
        )
    non_retenue = CandidatureFactory(
        promotion=promotion,
        statut=Statut.NON_RETENUE,
        orientation=Orientation.COACHING,
        utilisateur__prenom="Nina",
        utilisateur__nom="Nonretenue",
        telephone="0102030405",
        enjeux_declares="Mon ancien directeur, M. Dupont.",
    )
    sans_binome = CandidatureFactory(
        promotion=promotion, statut=Statut.RETENUE, utilisateur__prenom="Sam", utilisateur__nom="Sansbinome"
    )
    campagne: Any = CampagneFactory.create(promotion=promotion, type=TypeCampagne.FIN)
    evaluation.creer_invitations(campagne=campagne)
    invitation = campagne.invitations.get(utilisateur=binome.mentore.utilisateur)
    valeurs = {
        q: {"echelle": 4, "oui_non": True}.get(q.type, "Très utile.") for q in Question.objects.filter(active=True)
    }
    evaluation.repondre(invitation_id=invitation.pk, valeurs=valeurs)
    Campagne.objects.filter(pk=campagne.pk).update(fermeture=timezone.now())
    return Passe(promotion, binome, non_retenue, sans_binome, campagne)


def chiffres(user, passe: Passe) -> dict:
    """What the programme dashboard and the synthesis show of the past promotion."""
    tableau = tableau_de_bord.programme(user, str(passe.promotion.pk))
    ligne = next(ligne for ligne in tableau.lignes if ligne.promotion == passe.promotion)
    resultat = synthese.calculer(Campagne.objects.get(pk=passe.campagne.pk))
    return {
        "ligne": (ligne.deposees, ligne.recevables, ligne.retenues, ligne.binomes, ligne.par_statut, ligne.rencontres),
        "taux": [(t.invitations, t.reponses) for t in ligne.taux],
        "entonnoir": tableau.entonnoir,
        "orientations": tableau.orientations,
        "zones": [(z.departement.code, z.candidatures, z.membres) for z in tableau.zones],
        "rencontres_par_mois": tableau.rencontres_par_mois,
        "synthese": (resultat.nb_invites, resultat.nb_reponses, [i.valeurs for i in resultat.indicateurs]),
    }
