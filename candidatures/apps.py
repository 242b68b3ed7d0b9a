from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidaturesConfig(AppConfig):
    name = "candidatures"
    verbose_name = _("Candidatures")

    def ready(self):
        from mentorat.donnees_de_reference import restaurer_si_vide

        restaurer_si_vide(self, "Theme", "0003_themes_par_defaut")
