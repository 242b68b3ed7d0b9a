from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def questions_si_aucune(sender, **kwargs) -> None:
    """Put the default questions back when the table is empty (e.g. after a test flush).

    The data migration creates them once; questions the engineers edit are left alone.
    """
    from importlib import import_module

    from django.apps import apps

    Question = apps.get_model("evaluation", "Question")
    if not Question.objects.exists():
        import_module("evaluation.migrations.0002_questions_par_defaut").creer(apps, None)


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Évaluation")

    def ready(self):
        post_migrate.connect(questions_si_aucune, sender=self, dispatch_uid="evaluation_questions_par_defaut")
