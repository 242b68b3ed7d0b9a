"""The committee's groups receive their admin permissions after each migration.

Permissions only exist once every app has migrated, so they are granted by a
post_migrate handler (idempotent) rather than inside the data migration that
creates the groups.
"""

from django.contrib.auth.models import Group, Permission

from .models import GROUPE_INGENIEUR, GROUPE_PILOTE

APPS_DU_PROGRAMME = ["candidatures", "binomes", "suivi", "evaluation"]


def accorder_permissions(**kwargs) -> None:
    programme = Permission.objects.filter(content_type__app_label__in=APPS_DU_PROGRAMME) | Permission.objects.filter(
        content_type__app_label="mentorat", content_type__model="promotion"
    )
    voir_utilisateurs = Permission.objects.filter(
        content_type__app_label="mentorat", content_type__model="utilisateur", codename="view_utilisateur"
    )
    gerer_utilisateurs = Permission.objects.filter(
        content_type__app_label="mentorat", content_type__model="utilisateur"
    )
    for nom, permissions in (
        (GROUPE_INGENIEUR, programme | voir_utilisateurs),
        (GROUPE_PILOTE, programme | gerer_utilisateurs),
    ):
        groupe, _ = Group.objects.get_or_create(name=nom)
        groupe.permissions.add(*permissions)
