from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MentoratConfig(AppConfig):
    name = "mentorat"
    verbose_name = _("Programme et comptes")

    def ready(self):
        from .roles import accorder_permissions

        post_migrate.connect(accorder_permissions, dispatch_uid="mentorat_permissions_du_comite")
