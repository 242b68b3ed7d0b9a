from django.apps import AppConfig
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MentoratConfig(AppConfig):
    name = "mentorat"
    verbose_name = _("Programme et comptes")

    def ready(self):
        from . import signaux  # connects the sign-in receivers

        signaux.connecter_fragments_publics()
        from .roles import accorder_permissions

        # `post_migrate` is sent once for each app that has models, in INSTALLED_APPS order, once every migration
        # has run: by the last app's, every permission exists. Granted then only, rather than at each of the
        # eighteen apps' (a flush of the tests, a migration, each paid for it eighteen times).
        derniere = [config for config in django_apps.get_app_configs() if config.models_module is not None][-1]
        post_migrate.connect(accorder_permissions, sender=derniere, dispatch_uid="mentorat_permissions_du_comite")
        from . import versions

        # Once every app's tables exist: each one gets its trigger of the data's version (`mentorat.versions`).
        post_migrate.connect(versions.installer, sender=derniere, dispatch_uid="mentorat_versions_des_donnees")
        if settings.TACHES_QUOTIDIENNES:
            from . import quotidien

            quotidien.demarrer()


class ComiteAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the committee's site as `admin.site`: every app's registrations land on it.

    Named in INSTALLED_APPS instead of `django.contrib.admin`; not this module's default configuration
    (that is `MentoratConfig`), and Django's own `AdminConfig` is not imported by name for the same reason.
    """

    default = False
    default_site = "mentorat.comite.SiteDuComite"

    def ready(self):
        super().ready()  # every app's admin module is imported here: their registrations exist from now on
        from django.contrib.admin import site
        from django.contrib.auth.models import Group
        from dsfr.models import DsfrConfig

        from .admin import GroupeAdmin

        if site.is_registered(Group):
            site.unregister(Group)
        site.register(Group, GroupeAdmin)
        # django-dsfr's own site settings: this project sets its chrome in code (`context_processors.SITE_CONFIG`).
        if site.is_registered(DsfrConfig):
            site.unregister(DsfrConfig)
