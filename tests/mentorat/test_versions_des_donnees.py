"""The data's version that keys the committee's cached pages (`fragments.version_des_donnees`, `mentorat.versions`):
a new one after every committed write of a table it covers, however it was written, and only then.

Transactional tests: the versions move at commit, which the other tests' rollback never reaches."""

import threading

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection, connections, transaction
from django.db.utils import ConnectionHandler

from candidatures.models import Theme
from mentorat import fragments, versions
from mentorat.models import EntreeJournal, Promotion, Utilisateur
from tests.factories import PromotionFactory, ThemeFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db(transaction=True)


def version(*modeles) -> str:
    valeur = fragments.version_des_donnees(*modeles)
    assert valeur is not None
    return valeur


def test_une_insertion_donne_une_nouvelle_version():
    avant = version(Promotion, Theme)

    PromotionFactory()

    assert version(Promotion, Theme) != avant


def test_update_delete_et_bulk_create_donnent_chacun_une_nouvelle_version():
    ThemeFactory(nom="Management")
    vues = [version(Theme)]

    Theme.objects.filter(nom="Management").update(nom="Encadrement")
    vues.append(version(Theme))
    Theme.objects.bulk_create([Theme(nom="Numérique"), Theme(nom="Europe")])
    vues.append(version(Theme))
    Theme.objects.filter(nom="Europe").delete()
    vues.append(version(Theme))

    assert len(set(vues)) == 4


def test_le_sql_brut_et_truncate_donnent_une_nouvelle_version():
    ThemeFactory(nom="Management")
    avant = version(Theme)
    with connection.cursor() as curseur:
        curseur.execute("UPDATE candidatures_theme SET nom = 'Encadrement' WHERE nom = 'Management'")
    apres_update = version(Theme)
    with connection.cursor() as curseur:
        curseur.execute("TRUNCATE candidatures_theme CASCADE")

    assert len({avant, apres_update, version(Theme)}) == 3


def test_les_ecritures_d_autres_tables_ne_changent_pas_la_version():
    avant = version(Theme)

    PromotionFactory()
    EntreeJournal.objects.create(action="export")

    assert version(Theme) == avant


def test_une_connexion_ne_change_pas_la_version_des_comptes_une_modification_si():
    # A sign-in writes only `last_login`: every member's cached pages stay; a name changed shows at once.
    utilisateur = UtilisateurFactory(nom="Martin")
    avant = version(Utilisateur)

    update_last_login(None, user=utilisateur)
    apres_connexion = version(Utilisateur)
    utilisateur.nom = "Martin-Leroy"
    utilisateur.save()

    assert apres_connexion == avant
    assert version(Utilisateur) != avant


def test_une_transaction_annulee_ne_change_pas_la_version():
    avant = version(Theme)

    with pytest.raises(RuntimeError), transaction.atomic():
        ThemeFactory(nom="Management")
        raise RuntimeError

    assert version(Theme) == avant


def test_une_transaction_lit_ses_propres_ecritures_sous_une_autre_version():
    """Before its commit, a transaction sees its rows but not their number: what it computes from them is keyed
    apart from the committed data, and again apart after each of its writes."""
    avant = version(Theme)

    with transaction.atomic():
        ThemeFactory(nom="Management")
        premiere = version(Theme)
        ThemeFactory(nom="Numérique")
        seconde = version(Theme)
        assert version(Promotion) == version(Promotion)  # a table it has not written keeps its committed version

    assert len({avant, premiere, seconde, version(Theme)}) == 4


def test_les_contraintes_verifiees_en_cours_de_transaction_publient_aussi():
    """Django checks the deferred constraints within a transaction (`check_constraints`, after a fixture's load):
    the publication then runs at once, and a write after it is published again at commit."""
    avant = version(Theme)

    with transaction.atomic():
        with connection.cursor() as curseur:
            curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        ThemeFactory(nom="Management")
        publiee = version(Theme)
        with connection.cursor() as curseur:
            curseur.execute("SET CONSTRAINTS ALL DEFERRED")
        ThemeFactory(nom="Numérique")

    assert len({avant, publiee, version(Theme)}) == 3


def test_la_file_des_publications_ne_garde_aucune_ligne():
    ThemeFactory(nom="Management")
    Theme.objects.filter(nom="Management").update(nom="Thème renommé")

    with connection.cursor() as curseur:
        curseur.execute("SELECT count(*) FROM mentorat_versions_a_publier")
        assert curseur.fetchone() == (0,)


def test_une_table_sans_version_n_en_donne_aucune():
    assert fragments.version_des_donnees(Theme, EntreeJournal) is None


def test_sqlite_ne_donne_aucune_version(monkeypatch):
    sqlite = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})["default"]
    monkeypatch.setattr(fragments, "connection", sqlite)

    assert fragments.version_des_donnees(Theme) is None


def test_les_tables_des_pages_en_cache_ont_une_version():
    from mentorat.models import Utilisateur
    from suivi.models import Rencontre

    couvertes = {modele._meta.db_table for modele in versions.modeles_couverts()}

    for modele in (Promotion, Theme, Utilisateur, Rencontre, Rencontre.themes.through, *fragments.tables_des_droits()):
        assert modele._meta.db_table in couvertes


def _dans_sa_connexion(travail):
    """`travail` run in a thread, hence on a connection of its own; its exception, if any, kept for the test."""
    erreurs: list[BaseException] = []

    def executer():
        try:
            travail()
        except BaseException as erreur:  # handed to the test, which fails with it
            erreurs.append(erreur)
        finally:
            connections.close_all()

    fil = threading.Thread(target=executer)
    fil.start()
    return fil, erreurs


def test_deux_transactions_ecrivant_deux_tables_en_ordres_opposes_ne_s_interbloquent_pas():
    promotion = PromotionFactory()
    theme = ThemeFactory(nom="Management")
    avant = (version(Promotion), version(Theme))
    premieres_ecritures = threading.Barrier(2, timeout=10)

    def promotion_puis_theme():
        with transaction.atomic():
            Promotion.objects.filter(pk=promotion.pk).update(lieu_lancement="Lyon")
            premieres_ecritures.wait()
            Theme.objects.create(nom="Numérique")

    def theme_puis_promotion():
        with transaction.atomic():
            Theme.objects.filter(pk=theme.pk).update(nom="Encadrement")
            premieres_ecritures.wait()
            PromotionFactory(est_courante=False)

    fils = [_dans_sa_connexion(promotion_puis_theme), _dans_sa_connexion(theme_puis_promotion)]
    for fil, _ in fils:
        fil.join(timeout=20)

    assert [erreurs for _, erreurs in fils] == [[], []]
    assert version(Promotion) != avant[0]
    assert version(Theme) != avant[1]


def test_une_transaction_en_cours_ne_bloque_pas_les_autres_ecritures_de_sa_table():
    """No counter's lock is held before the commit: writers of a table do not wait for each other's end."""
    ThemeFactory(nom="Management")
    ecrit = threading.Event()
    fin = threading.Event()

    def ecrire_et_attendre():
        with transaction.atomic():
            Theme.objects.filter(nom="Management").update(nom="Encadrement")
            ecrit.set()
            fin.wait(timeout=10)

    fil, erreurs = _dans_sa_connexion(ecrire_et_attendre)
    assert ecrit.wait(timeout=10)
    try:
        with transaction.atomic():
            with connection.cursor() as curseur:
                curseur.execute("SET LOCAL lock_timeout = '2s'")
            Theme.objects.create(nom="Numérique")
    finally:
        fin.set()
        fil.join(timeout=10)

    assert erreurs == []
    assert Theme.objects.filter(nom__in=["Encadrement", "Numérique"]).count() == 2
