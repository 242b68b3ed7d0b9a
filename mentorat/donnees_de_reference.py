"""Reference rows that data migrations create (themes, charter, questions), put back when a table is empty.

A transactional test (the browser tests) empties every table, then emits `post_migrate`; data
migrations do not run again, so each app reconnects its own here. Rows the committee has edited
are left alone: the migration's function runs only when the table is empty.
"""

from importlib import import_module

from django.db.models.signals import post_migrate


def restaurer_si_vide(app_config, modele: str, migration: str) -> None:
    """On `post_migrate`, run `migration`'s `creer(apps, schema_editor)` if `modele` has no row."""

    def restaurer(sender, **kwargs) -> None:
        from django.apps import apps

        if not apps.get_model(app_config.label, modele).objects.exists():
            import_module(f"{app_config.name}.migrations.{migration}").creer(apps, None)

    post_migrate.connect(restaurer, sender=app_config, weak=False, dispatch_uid=f"{app_config.label}.{modele}")
