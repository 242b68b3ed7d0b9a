"""The data's versions on PostgreSQL: a counter per table, moved at the commit of every transaction that wrote it.

`fragments.version_des_donnees` keys the committee's cached pages on the tables they show. It read every row of
them (a count and a sum of hashes of `ctid` and `xmin`: about 8 ms a page at national scale, growing with the
data); it now reads one row per table in `mentorat_versiondonnees` (the `VersionDonnees` model), by its primary key.

What moves them (migration `0009_versions_des_donnees`):

- a statement trigger on each covered table (`AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ... FOR EACH STATEMENT`,
  installed here after every migration): a write by `save()`, `update()`, `bulk_create()`, raw SQL or a TRUNCATE is
  seen alike, at one call per statement whatever the number of rows (a 100,000-row `update()` pays it once; a
  statement that changes no row counts too: a cache miss more, never a stale page). It
  does not touch the counter: it notes the table's name in a setting local to the transaction
  (`mentorat.tables_ecrites`, which a rollback to a savepoint takes back with the writes) and, at the
  transaction's first write, inserts a row into `mentorat_versions_a_publier` (deleted at once by its address: the
  table stays empty, its insertion's trigger still fires);
- that row's constraint trigger, `DEFERRABLE INITIALLY DEFERRED`, fires at commit: it queues itself once more, so as
  to run after the foreign keys' checks (which may wait for a row's lock), then gives each noted table a new number
  from a sequence (`INSERT ... ON CONFLICT DO UPDATE`), in the tables' order, and deletes its row.

Why not a plain `UPDATE` of the counter in the statement trigger: its row's lock would be held from the write to
the commit, so that every transaction writing a table would wait for the other ones to end (the counter would
serialise them), and two transactions writing tables A and B in opposite orders would deadlock on the counters.
Taken last and in one order, the counters' locks are held only while the transaction commits (its write to the
log included: writers of one table commit one after the other, not for their whole length) and never form a cycle.
That holds while constraints are checked at commit, as Django's are: code that makes them immediate in a
transaction (`SET CONSTRAINTS ALL IMMEDIATE`, as `loaddata` does) publishes there and keeps the locks till the end.

Why a sequence's number rather than `numero + 1`: a number is never given twice, even after a rollback, a flush of
the tests' tables or a restore, so a key once computed never comes back with other data.

The number becomes visible with the data it counts (the same transaction's commit); a reader that read the old
number before that commit and the new data after it caches the new data under a key nobody asks for any more.
Before its commit, a transaction sees its own writes but not their number: `version_des_donnees` then adds the
setting `mentorat.ecriture` (a new sequence number at each write statement of the transaction) to the key, so a
page it computes is keyed apart from the committed data's (and, if it rolls back, under a key never asked again).

Which tables: every concrete table of the project's apps and of the accounts' permissions (`auth`), installed after
every migration rather than listed in one (a new model is covered by its own migration's run, and the tests'
databases get them), but for those in `SANS_VERSION`. A table without a counter row is not covered:
`version_des_donnees` then returns None (the page is computed each time) rather than a version that never moves.
"""

from django.apps import apps as django_apps
from django.db import connections
from django.db.models import Model

# The apps whose tables are covered: the project's, and Django's accounts' groups and permissions.
APPS = ("mentorat", "candidatures", "binomes", "suivi", "evaluation", "rgpd", "auth")

# Tables without a version, by the models' labels: no cached page shows them, and their writes should not pay for it.
SANS_VERSION = {
    "mentorat.versiondonnees": "the counters themselves (their trigger would fire on its own writes)",
    "mentorat.entreejournal": "written at each consultation of a person's data: a counter moved by every view",
    "mentorat.courriel": "the outbox, written at every e-mail and moved 100,000 rows at a time by the sweep",
    # Anonymity: a counter moved by the transaction that marks the invitation answered and another by the answers'
    # pool would tell, by their numbers' order, when an answer was given (evaluation/models.py).
    "evaluation.reponse": "anonymous answers",
    "evaluation.reponseenattente": "anonymous answers waiting for their batch",
    "evaluation.valeur": "anonymous answers' values",
}

DECLENCHEUR = "mentorat_version_des_donnees"
# Columns whose update alone moves no version, by the models' labels: no cached page shows them, and they are written
# often. An account's `last_login` is written at every sign-in (`update_last_login`, `save(update_fields=...)`):
# through the accounts' version, every member's pages and the committee's lists would be computed again at each one.
# (A `save()` of the whole row names every column, so it still moves the version.)
COLONNES_SANS_VERSION = {"mentorat.utilisateur": ("last_login",)}


def modeles_couverts() -> list[type[Model]]:
    """The models whose tables have a version (their m2m tables included)."""
    return [
        modele
        for modele in django_apps.get_models(include_auto_created=True)
        if modele._meta.app_label in APPS
        and modele._meta.managed
        and not modele._meta.proxy
        and modele._meta.label_lower not in SANS_VERSION
    ]


def installer(using: str = "default", **kwargs) -> None:
    """Receiver of `post_migrate`: the statement trigger on every covered table (on no other), put again where it
    is (a few dozen tables: its events follow `COLONNES_SANS_VERSION`), and a counter row for each of them.
    Idempotent; does nothing but on PostgreSQL."""
    connexion = connections[using]
    if connexion.vendor != "postgresql":
        return
    existantes = set(connexion.introspection.table_names())
    if "mentorat_versions_a_publier" not in existantes:
        return  # the migration that brings the triggers' functions is not applied (or was just taken back)
    modeles = {m._meta.db_table: m for m in modeles_couverts() if m._meta.db_table in existantes}
    voulues = sorted(modeles)
    with connexion.cursor() as curseur:
        curseur.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal", [DECLENCHEUR]
        )
        equipees = {nom.strip('"') for (nom,) in curseur.fetchall()}
        for table in sorted(equipees - set(voulues)):
            curseur.execute(f"DROP TRIGGER {DECLENCHEUR} ON {connexion.ops.quote_name(table)}")
        # Replaced on the tables that have it too: its events may have changed (`COLONNES_SANS_VERSION`).
        for table in voulues:
            curseur.execute(
                f"CREATE OR REPLACE TRIGGER {DECLENCHEUR} AFTER INSERT OR {_mise_a_jour(modeles[table], connexion)}"
                f" OR DELETE OR TRUNCATE ON {connexion.ops.quote_name(table)}"
                " FOR EACH STATEMENT EXECUTE FUNCTION mentorat_noter_ecriture()"
            )
        curseur.execute('DELETE FROM mentorat_versiondonnees WHERE NOT "table" = ANY(%s)', [voulues])
        curseur.execute(
            'INSERT INTO mentorat_versiondonnees ("table", numero)'
            " SELECT t, nextval('mentorat_versiondonnees_numero') FROM unnest(%s::text[]) AS t ORDER BY t"
            ' ON CONFLICT ("table") DO NOTHING',
            [voulues],
        )


def _mise_a_jour(modele: type[Model], connexion) -> str:
    """The trigger's UPDATE event: of any column, or of all but those of `COLONNES_SANS_VERSION`."""
    ignorees = COLONNES_SANS_VERSION.get(modele._meta.label_lower)
    if not ignorees:
        return "UPDATE"
    colonnes = [c.column for c in modele._meta.concrete_fields if c.column not in ignorees]
    return "UPDATE OF " + ", ".join(connexion.ops.quote_name(c) for c in colonnes)
