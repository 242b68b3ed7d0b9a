"""Anonymity is a property of the schema and of storage: no path from a response to a person, a pair or a
time, and nothing in the stored order of the responses says who answered when."""

import pytest
from django.db import IntegrityError, connection, models
from django.db.models.fields import AutoFieldMixin

from binomes.models import Binome
from candidatures.models import Candidature
from evaluation import services
from evaluation.models import Campagne, Invitation, Reponse, ReponseEnAttente, TypeCampagne, Valeur
from mentorat.models import Promotion, Utilisateur
from tests.factories import UtilisateurFactory

from .conftest import fermer, repondre_en_nombre, reponses_types
from .factories import CampagneFactory

INTERDITS = {Utilisateur, Candidature, Binome, Invitation}
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
    assert _modeles_atteints(ReponseEnAttente, {ReponseEnAttente}) & INTERDITS == set()


@pytest.mark.parametrize("modele", [Reponse, Valeur, ReponseEnAttente])
def test_reponse_et_valeurs_sans_date_ni_heure(modele):
    types = {type(champ) for champ in modele._meta.get_fields() if not champ.is_relation}

    assert not any(issubclass(t, models.DateField | models.TimeField | models.DurationField) for t in types)


def _repondre_numerotes(campagne, questions, nombre: int) -> list[str]:
    """`nombre` answers, each telling its rank in its free text; the texts in the order of submission."""
    textes = [f"réponse n° {rang:02d}" for rang in range(nombre)]
    for texte in textes:
        invitation = Invitation.objects.create(
            campagne=campagne, utilisateur=UtilisateurFactory.create(), role="mentor", corps="DH"
        )
        services.repondre(invitation_id=invitation.pk, valeurs=reponses_types(questions, texte=texte))
    return textes


def _textes(valeurs) -> list[str]:
    return list(valeurs.filter(question__code="apprentissages").values_list("texte", flat=True))


def test_ordre_des_reponses_stockees_ne_suit_pas_l_ordre_de_soumission(campagne, questions, settings):
    settings.EVALUATION_SEUIL_GROUPE = 30  # one batch of thirty
    soumis = _repondre_numerotes(campagne, questions, 30)

    stockes = _textes(Valeur.objects.order_by("reponse_id"))

    assert sorted(stockes) == soumis
    assert stockes != soumis


def test_note_hors_echelle_refusee_par_la_base(campagne, questions):
    reponse = Reponse.objects.create(campagne=campagne, role="mentor", corps="DH")

    with pytest.raises(IntegrityError):
        Valeur.objects.create(reponse=reponse, question=questions["satisfaction"], note=6)


def test_questions_par_defaut_en_francais(questions):
    assert list(questions) == [
        "engagement", "satisfaction", "relation", "thematiques", "apprentissages", "recommandation", "suggestions",
    ]  # fmt: skip
    assert questions["satisfaction"].intitule == "Quelle est votre satisfaction globale à l'égard du programme ?"


@pytest.mark.parametrize("modele", [Reponse, Valeur, ReponseEnAttente])
def test_identifiants_aleatoires_et_aucun_champ_automatique(modele):
    # A sequence (auto field) on either table would number the responses in the order they came.
    assert isinstance(modele._meta.pk, models.UUIDField)
    assert not any(isinstance(champ, AutoFieldMixin) for champ in modele._meta.concrete_fields)


def test_ordre_des_valeurs_stockees_ne_suit_pas_l_ordre_de_soumission(campagne, questions, settings):
    settings.EVALUATION_SEUIL_GROUPE = 20
    soumis = _repondre_numerotes(campagne, questions, 20)

    stockes = _textes(Valeur.objects.order_by("pk"))

    assert sorted(stockes) == soumis
    assert stockes != soumis


def _ordre_physique(table: str) -> list:
    # What a dump or a query without ORDER BY returns: PostgreSQL's physical order, and the
    # writing transaction of each row.
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT id, xmin::text FROM {table} ORDER BY ctid")  # noqa: S608 - fixed table names
        return curseur.fetchall()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ctid and xmin are PostgreSQL's")
def test_brassage_a_la_cloture_reecrit_tout_en_une_transaction(campagne, questions):
    _repondre_numerotes(campagne, questions, 12)  # two batches of five, two left in the pool
    avant_ids = {pk for pk, _ in _ordre_physique("evaluation_reponse")}
    assert len(avant_ids) == 10
    fermer(campagne)
    avant = sorted(Valeur.objects.filter(reponse__campagne=campagne).values_list("question_id", "note", "oui", "texte"))

    assert services.brasser_reponses(campagne_id=campagne.pk) is True

    lignes = _ordre_physique("evaluation_reponse")
    assert len(lignes) == 12
    assert {xmin for _, xmin in lignes} == {xmin for _, xmin in _ordre_physique("evaluation_valeur")}
    assert len({xmin for _, xmin in lignes}) == 1  # one transaction wrote them all
    assert not {pk for pk, _ in lignes} & avant_ids
    apres = sorted(Valeur.objects.filter(reponse__campagne=campagne).values_list("question_id", "note", "oui", "texte"))
    assert set(avant) <= set(apres) and len(apres) == 12 * 7
    assert ReponseEnAttente.objects.count() == 0


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
