"""The tables' data versions (`mentorat.versions`): one counter row per table, and on PostgreSQL what moves them.

A statement trigger on each covered table (installed by `mentorat.versions.installer`, after every migration) only
notes the table's name in a setting local to the transaction and, at the transaction's first write, inserts (and
deletes) a row of `mentorat_versions_a_publier`, whose deferred constraint trigger publishes the noted tables' new
numbers at commit, in the tables' order. Why so: `mentorat.versions`' docstring.
"""

from django.db import migrations, models

MACHINERIE = """
-- Numbers never given twice, even after a rollback or a flush of the tables (not owned by a column: TRUNCATE ...
-- RESTART IDENTITY leaves it alone), so that a key once computed never comes back with other data.
CREATE SEQUENCE mentorat_versiondonnees_numero;

-- Never holds a row: each one is deleted by the statement that inserted it, whose insertion's deferred trigger still
-- fires at commit (it reads the row by its address, which no one may reclaim before the transaction ends). Deleted
-- at once by its address rather than at commit by a scan, which would read every dead row left since the last
-- vacuum.
CREATE UNLOGGED TABLE mentorat_versions_a_publier ();

CREATE FUNCTION mentorat_mettre_en_file() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ligne tid;
BEGIN
    INSERT INTO mentorat_versions_a_publier DEFAULT VALUES RETURNING ctid INTO ligne;
    DELETE FROM mentorat_versions_a_publier WHERE ctid = ligne;
END $$;

CREATE FUNCTION mentorat_noter_ecriture() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ecrites text := coalesce(current_setting('mentorat.tables_ecrites', true), '');
BEGIN
    IF strpos(ecrites, ',' || TG_TABLE_NAME || ',') = 0 THEN
        PERFORM set_config('mentorat.tables_ecrites', coalesce(nullif(ecrites, ''), ',') || TG_TABLE_NAME || ',', true);
    END IF;
    IF ecrites = '' THEN
        -- After the table is noted: under SET CONSTRAINTS ALL IMMEDIATE, the publication fires within this INSERT.
        PERFORM mentorat_mettre_en_file();
    END IF;
    -- The state of this transaction's own writes, for its own readers (`fragments.version_des_donnees`).
    PERFORM set_config('mentorat.ecriture', nextval('mentorat_versiondonnees_numero')::text, true);
    RETURN NULL;
END $$;

CREATE FUNCTION mentorat_publier_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ecrites text := trim(BOTH ',' FROM coalesce(current_setting('mentorat.tables_ecrites', true), ''));
BEGIN
    IF coalesce(current_setting('mentorat.publication', true), '') = '' THEN
        -- Fired among the other deferred triggers (the foreign keys' checks, which may wait for a lock): queued
        -- once more, behind all of them, so that the counters' locks are the transaction's very last.
        PERFORM set_config('mentorat.publication', 'en file', true);
        PERFORM mentorat_mettre_en_file();
        RETURN NULL;
    END IF;
    PERFORM set_config('mentorat.publication', '', true);
    PERFORM set_config('mentorat.tables_ecrites', '', true);
    IF ecrites <> '' THEN
        -- In the tables' order: two transactions lock the counters they share in the same order, never in a cycle.
        INSERT INTO mentorat_versiondonnees ("table", numero)
        SELECT ecrite, nextval('mentorat_versiondonnees_numero')
        FROM unnest(string_to_array(ecrites, ',')) AS ecrite
        ORDER BY ecrite
        ON CONFLICT ("table") DO UPDATE SET numero = excluded.numero;
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER mentorat_publier_versions AFTER INSERT ON mentorat_versions_a_publier
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION mentorat_publier_versions();
"""

SANS_MACHINERIE = """
DO $$
DECLARE
    declencheur record;
BEGIN
    FOR declencheur IN SELECT tgrelid::regclass AS nom_de_table FROM pg_trigger
        WHERE tgname = 'mentorat_version_des_donnees'
    LOOP
        EXECUTE format('DROP TRIGGER mentorat_version_des_donnees ON %s', declencheur.nom_de_table);
    END LOOP;
END $$;
DROP TABLE mentorat_versions_a_publier;
DROP FUNCTION mentorat_publier_versions();
DROP FUNCTION mentorat_noter_ecriture();
DROP FUNCTION mentorat_mettre_en_file();
DROP SEQUENCE mentorat_versiondonnees_numero;
"""


def executer(schema_editor, sql: str) -> None:
    # Without parameters: several statements in one go, and `format()`'s `%s` left to PostgreSQL.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as curseur:
            curseur.execute(sql)


def creer(apps, schema_editor):
    executer(schema_editor, MACHINERIE)


def supprimer(apps, schema_editor):
    executer(schema_editor, SANS_MACHINERIE)


class Migration(migrations.Migration):
    dependencies = [
        ("mentorat", "0008_places_et_liste_d_attente"),
    ]

    operations = [
        migrations.CreateModel(
            name="VersionDonnees",
            fields=[
                ("table", models.CharField(max_length=63, primary_key=True, serialize=False, verbose_name="table")),
                ("numero", models.BigIntegerField(verbose_name="numéro")),
            ],
            options={
                "verbose_name": "version des données",
                "verbose_name_plural": "versions des données",
            },
        ),
        migrations.RunPython(creer, supprimer),
    ]
