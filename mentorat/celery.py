import os

from celery import Celery, signals

from mentorat.masquage import masquer_les_gestionnaires

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")

app = Celery("mentorat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The worker replaces the logging that Django's LOGGING set up by its own: its handlers get the same filter, so
# that no personal link's token reaches a worker's log (mentorat.masquage).
@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _masquer_les_liens_personnels(logger, **_kwargs) -> None:
    masquer_les_gestionnaires(logger)


# The worker renders the large PDFs (`suivi.tasks.produire_export`): its main process imports WeasyPrint once, before
# its pool's processes are forked, so that they inherit it and no export's task pays the import (about a second,
# more on a loaded machine). Not at `worker_process_init`: each child then has 4 s to start, which an import on a
# loaded machine could exceed. The web processes never import it before their first small PDF.
@signals.worker_init.connect
def _charger_weasyprint(**_kwargs) -> None:
    import weasyprint  # noqa: F401
