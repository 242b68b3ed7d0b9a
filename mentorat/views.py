from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import rules
from .models import Promotion


def accueil(request):
    promotion = Promotion.objects.courante()
    return render(request, "mentorat/accueil.html", {"promotion": promotion, "page_title": _("Le programme")})


@login_required
def arrivee(request):
    """Where each person lands after signing in (`LOGIN_REDIRECT_URL`): where their work is.

    Engineers: the tracking dashboard while a promotion's year is running, else the programme dashboard;
    the pilot (and any other staff member): the programme dashboard; a member of a pair still running: the
    pair's space; an applicant not (yet) in a pair: their application; a member of a closed pair: the pair's
    space (syntheses, history); anyone else: the home page.
    Like `urls.py`, this view knows every app: they are imported here, not at the top of the project's module.
    """
    from binomes.models import Binome, StatutBinome
    from candidatures.models import Candidature

    user = request.user
    if rules.est_ingenieur(user):
        annee_en_cours = Promotion.objects.dont_l_annee_court(timezone.localdate()).filter(binomes__isnull=False)
        return redirect("suivi:tableau_de_bord" if annee_en_cours.exists() else "admin:index")
    if user.is_staff:
        return redirect("admin:index")
    binomes = Binome.objects.de_l_utilisateur(user)
    if binomes.exclude(statut__in=StatutBinome.clos()).exists():
        return redirect("binomes:espace")
    if Candidature.objects.filter(utilisateur=user).sans_binome().exists():
        return redirect("candidatures:mon_espace")
    return redirect("binomes:espace" if binomes.exists() else "accueil")


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
