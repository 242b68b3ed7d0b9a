"""Anonymity is a property of the schema and of storage: no path from a response to a person, a pair or a
time, and nothing in the stored order of the responses says who answered when."""

import pytest
from django.db import IntegrityError, connection, models
from django.db.models.fields import AutoFieldMixin

from binomes.models import Binome
from candidatures.models import Candidature
from evaluation import services
from evaluation.models import Campagne, Invitation, Reponse, TypeCampagne, Valeur
from mentorat.models import Promotion, Utilisateur
from tests.factories import UtilisateurFactory

from .conftest import fermer, repondre_en_nombre, reponses_types
from .factories import CampagneFactory

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


@pytest.mark.parametrize("modele", [Reponse, Valeur])
def test_identifiants_aleatoires_et_aucun_champ_automatique(modele):
    # A sequence (auto field) on either table would number the responses in the order they came.
    assert isinstance(modele._meta.pk, models.UUIDField)
    assert not any(isinstance(champ, AutoFieldMixin) for champ in modele._meta.concrete_fields)


def test_ordre_des_valeurs_stockees_ne_suit_pas_l_ordre_de_soumission(campagne, questions):
    soumises = []
    for _ in range(20):
        invitation = Invitation.objects.create(
            campagne=campagne, utilisateur=UtilisateurFactory(), role="mentor", corps="DH"
        )
        soumises.append(services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions)).pk)

    # The first value of each response, by the values' own ids.
    par_valeur = list(
        dict.fromkeys(
            Valeur.objects.filter(question=questions["satisfaction"])
            .order_by("pk")
            .values_list("reponse_id", flat=True)
        )
    )

    assert sorted(par_valeur) == sorted(soumises)
    assert par_valeur != soumises


def _ordre_physique(table: str) -> list:
    # What a dump or a query without ORDER BY returns: PostgreSQL's physical order, and the
    # writing transaction of each row.
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT id, xmin::text FROM {table} ORDER BY ctid")  # noqa: S608 - fixed table names
        return curseur.fetchall()


def _notes_dans_l_ordre_physique(questions) -> list[int | None]:
    notes = dict(Valeur.objects.filter(question=questions["satisfaction"]).values_list("reponse_id", "note"))
    return [notes[pk] for pk, _ in _ordre_physique("evaluation_reponse")]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ctid and xmin are PostgreSQL's")
def test_brassage_a_la_cloture_efface_l_ordre_physique_et_les_transactions(campagne, questions):
    soumises = []
    for note in [1, 2, 3, 4, 5] * 4:
        invitation = Invitation.objects.create(
            campagne=campagne, utilisateur=UtilisateurFactory(), role="mentor", corps="DH"
        )
        soumises.append(services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions, note=note)))
    assert _notes_dans_l_ordre_physique(questions) == [1, 2, 3, 4, 5] * 4  # before: the order of the answers
    fermer(campagne)
    avant = sorted(Valeur.objects.filter(reponse__campagne=campagne).values_list("question_id", "note", "oui", "texte"))

    assert services.brasser_reponses(campagne_id=campagne.pk) is True

    lignes = _ordre_physique("evaluation_reponse")
    assert _notes_dans_l_ordre_physique(questions) != [1, 2, 3, 4, 5] * 4
    assert {xmin for _, xmin in lignes} == {xmin for _, xmin in _ordre_physique("evaluation_valeur")}
    assert len({xmin for _, xmin in lignes}) == 1  # one transaction wrote them all
    assert not {pk for pk, _ in lignes} & {r.pk for r in soumises}
    assert (
        sorted(Valeur.objects.filter(reponse__campagne=campagne).values_list("question_id", "note", "oui", "texte"))
        == avant
    )
    assert sorted(Reponse.objects.values_list("role", "corps")) == [("mentor", "DH")] * 20


def test_brassage_une_seule_fois_et_jamais_avant_la_cloture(campagne, questions):
    repondre_en_nombre(campagne, questions, [("mentor", "DH", 4)] * 3)

    assert services.brasser_reponses(campagne_id=campagne.pk) is False
    fermer(campagne)
    assert services.brasser_reponses(campagne_id=campagne.pk) is True
    ids = set(Reponse.objects.values_list("pk", flat=True))
    assert services.brasser_reponses(campagne_id=campagne.pk) is False
    assert set(Reponse.objects.values_list("pk", flat=True)) == ids
    assert Valeur.objects.count() == 3 * 7


def test_tache_quotidienne_brasse_les_campagnes_closes(campagne, questions):
    from evaluation.tasks import planifier_envois

    repondre_en_nombre(campagne, questions, [("mentor", "DH", 4)] * 2)
    autre = CampagneFactory(promotion=campagne.promotion, type=TypeCampagne.FIN)
    repondre_en_nombre(autre, questions, [("mentor", "DH", 4)] * 2)
    fermer(campagne)
    fermer(autre)
    ids = set(Reponse.objects.values_list("pk", flat=True))

    planifier_envois.delay()

    assert Campagne.objects.filter(reponses_brassees=True).count() == 2
    assert not ids & set(Reponse.objects.values_list("pk", flat=True))


def test_publication_brasse_d_abord(campagne, questions, ingenieur):
    repondre_en_nombre(campagne, questions, [("mentor", "DH", 4)] * 2)
    fermer(campagne)
    ids = set(Reponse.objects.values_list("pk", flat=True))

    services.publier_synthese(campagne=campagne, par=ingenieur)

    assert Campagne.objects.get(pk=campagne.pk).reponses_brassees is True
    assert not ids & set(Reponse.objects.values_list("pk", flat=True))
