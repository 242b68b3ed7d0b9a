"""A database of its own for the benchmark commands: created and migrated, measured in, then dropped.

A benchmark writes thousands of rows. Written in the application's database, even in a transaction
rolled back, they would leave dead rows behind and, once analysed, planner statistics describing data
that is gone (the planner then misjudges the real queries until the next VACUUM ANALYZE). In a database
of their own they touch nothing of the application's: not a row, not a statistic.
"""

import contextlib
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS, connections


@contextlib.contextmanager
def base_de_mesure() -> Iterator[str]:
    """Point the default connection at a new, migrated database for the block, then drop it.

    Its name is the application database's followed by `_mesure` (an in-memory database with SQLite);
    one left behind by an interrupted run is replaced. The role needs the right to create databases
    (the `postgres` image's user has it). Yields the database's name.
    """
    connexion = connections[DEFAULT_DB_ALIAS]
    nom_reel = connexion.settings_dict["NAME"]
    reglages_de_test = connexion.settings_dict["TEST"]
    nom_de_test = reglages_de_test["NAME"]
    # Django's test database machinery does exactly this (create, migrate, drop): borrowed under our own name.
    reglages_de_test["NAME"] = ":memory:" if connexion.vendor == "sqlite" else f"{nom_reel}_mesure"
    try:
        yield connexion.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        reglages_de_test["NAME"] = nom_de_test
        if connexion.settings_dict["NAME"] != nom_reel:  # created, even if its migration failed
            connexion.creation.destroy_test_db(nom_reel, verbosity=0)
