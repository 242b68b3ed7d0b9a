from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuiviConfig(AppConfig):
    name = "suivi"
    verbose_name = _("Suivi des rencontres")

    def ready(self):
        # Registers the attachment of the collective times' invitations (`mentorat.emails.pieces_jointes`).
        from . import calendrier  # noqa: F401
