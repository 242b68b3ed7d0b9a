"""Anonymity is a property of the schema: no path from a response to a person, a pair or a time."""

import pytest
from django.db import IntegrityError, models

from binomes.models import Binome
from candidatures.models import Candidature
from evaluation import services
from evaluation.models import Campagne, Invitation, Reponse, Valeur
from mentorat.models import Promotion, Utilisateur
from tests.factories import UtilisateurFactory

from .conftest import reponses_types

INTERDITS = {Utilisateur, Candidature, Binome}
# A response belongs to its campaign, which says when: the walk checks that nothing
# beyond the campaign and its promotion leads to a person.
CONTEXTE = {Campagne, Promotion}


def _modeles_atteints(modele, vus):
    """Every model reachable from `modele` by a forward relation, or by a reverse one to its own children."""
    for champ in modele._meta.get_fields():
        if not champ.is_relation:
            continue
        cible = champ.related_model
        proprietaire = champ.auto_created and not champ.concrete  # reverse relation: cible points at modele
        if proprietaire and modele in CONTEXTE:
            continue  # the campaign's other children (invitations) are not the response's
        if cible not in vus:
            vus.add(cible)
            _modeles_atteints(cible, vus)
    return vus


def test_aucun_chemin_d_une_reponse_vers_une_personne_ou_un_binome():
    atteints = _modeles_atteints(Reponse, {Reponse})

    assert atteints & INTERDITS == set()
    assert Valeur in atteints


@pytest.mark.parametrize("modele", [Reponse, Valeur])
def test_reponse_et_valeurs_sans_date_ni_heure(modele):
    types = {type(champ) for champ in modele._meta.get_fields() if not champ.is_relation}

    assert not any(issubclass(t, models.DateField | models.TimeField | models.DurationField) for t in types)


def test_ordre_des_reponses_stockees_ne_suit_pas_l_ordre_de_soumission(campagne, questions):
    soumises = []
    for _ in range(30):
        invitation = Invitation.objects.create(
            campagne=campagne, utilisateur=UtilisateurFactory(), role="mentor", corps="DH"
        )
        soumises.append(services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions)).pk)

    stockees = list(Reponse.objects.order_by("pk").values_list("pk", flat=True))

    assert sorted(stockees) == sorted(soumises)
    assert stockees != soumises


def test_note_hors_echelle_refusee_par_la_base(campagne, questions):
    reponse = Reponse.objects.create(campagne=campagne, role="mentor", corps="DH")

    with pytest.raises(IntegrityError):
        Valeur.objects.create(reponse=reponse, question=questions["satisfaction"], note=6)


def test_questions_par_defaut_en_francais(questions):
    assert list(questions) == [
        "engagement", "satisfaction", "relation", "thematiques", "apprentissages", "recommandation", "suggestions",
    ]  # fmt: skip
    assert questions["satisfaction"].intitule == "Quelle est votre satisfaction globale à l'égard du programme ?"
