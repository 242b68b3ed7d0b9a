from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuiviConfig(AppConfig):
    name = "suivi"
    verbose_name = _("Suivi des rencontres")

    def ready(self):
        # Registers the attachment of the collective times' invitations (`mentorat.emails.pieces_jointes`).
        # Registers the kinds of background exports this app knows (the worker needs them as much as the pages).
        from . import (
            calendrier,  # noqa: F401
            exports_differes,  # noqa: F401
        )
