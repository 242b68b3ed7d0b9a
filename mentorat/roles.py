"""The committee's groups receive their admin permissions after each migration.

Permissions only exist once every app has migrated, so they are granted by a
post_migrate handler (idempotent) rather than inside the data migration that
creates the groups. The groups are the application's roles: their permissions are
set to exactly these, so that a permission granted by hand or by an older version
(the pilot once held every permission on accounts) does not linger.
"""

from django.contrib.auth.models import Group, Permission

from .models import GROUPE_INGENIEUR, GROUPE_PILOTE

APPS_DU_PROGRAMME = ["candidatures", "binomes", "suivi", "evaluation"]


def _permissions(modele: str, *codenames: str):
    return Permission.objects.filter(
        content_type__app_label="mentorat", content_type__model=modele, codename__in=codenames
    )


def accorder_permissions(**kwargs) -> None:
    programme = Permission.objects.filter(content_type__app_label__in=APPS_DU_PROGRAMME) | Permission.objects.filter(
        content_type__app_label="mentorat", content_type__model="promotion"
    )
    lire_le_journal = _permissions("entreejournal", "view_entreejournal")
    voir_utilisateurs = _permissions("utilisateur", "view_utilisateur")
    # The engineers watch the outbox: they correct a refused address and send the e-mail again.
    courriels = _permissions("courriel", "view_courriel", "change_courriel")
    # The pilot corrects names (UtilisateurAdmin limits what and whose); roles, passwords, creations and deletions
    # are the superusers' (mentorat.comptes).
    corriger_utilisateurs = _permissions("utilisateur", "view_utilisateur", "change_utilisateur")
    # Personal-data rights (rgpd): the pilot approves the retention list, the engineers answer erasure requests.
    retention = Permission.objects.filter(content_type__app_label="rgpd", content_type__model="expiration")
    lire_la_retention = retention.filter(codename="view_expiration")
    effacements = Permission.objects.filter(
        content_type__app_label="rgpd",
        content_type__model="demandeeffacement",
        codename__in=["view_demandeeffacement", "change_demandeeffacement"],
    )
    for nom, permissions in (
        (
            GROUPE_INGENIEUR,
            programme | voir_utilisateurs | lire_le_journal | lire_la_retention | effacements | courriels,
        ),
        (GROUPE_PILOTE, programme | corriger_utilisateurs | lire_le_journal | retention),
    ):
        groupe, _ = Group.objects.get_or_create(name=nom)
        groupe.permissions.set(permissions)
