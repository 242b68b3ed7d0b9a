from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Évaluation")

    def ready(self):
        from mentorat.donnees_de_reference import restaurer_si_vide

        restaurer_si_vide(self, "Question", "0002_questions_par_defaut")

        # Registers the synthesis among the background exports (`suivi.exports_differes`), for the worker too.
        from . import pdf  # noqa: F401
