from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .models import Promotion


def accueil(request):
    promotion = Promotion.objects.courante()
    return render(request, "mentorat/accueil.html", {"promotion": promotion, "page_title": _("Le programme")})


def page_statique(request, gabarit: str, titre: str):
    return render(request, gabarit, {"page_title": titre, "hebergeur": settings.HEBERGEUR})


def _etat_base() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _etat_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from mentorat.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "indisponible"


@never_cache
@require_GET
def healthz(request):
    """Liveness of the database and the broker, for the orchestrator's health checks."""
    base = "ok" if _etat_base() else "indisponible"
    broker = _etat_broker()
    sain = base == "ok" and broker in ("ok", "eager")
    return JsonResponse(
        {"base": base, "broker": broker, "statut": "ok" if sain else "degrade"}, status=200 if sain else 503
    )
