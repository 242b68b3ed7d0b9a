"""The site's URLs plus the bare view the benchmark compares every page with (`manage.py bench` only).

Served only under `mentorat.settings_mesure`, by the gunicorn the benchmark starts: never in production.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from .urls import urlpatterns as urls_du_site


def vue_nue(request):
    """One `SELECT 1` through the same middleware, Django, gunicorn and PostgreSQL as the pages measured."""
    with connection.cursor() as curseur:
        curseur.execute("SELECT 1")
        curseur.fetchone()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__mesure__/nue/", vue_nue, name="mesure_vue_nue"), *urls_du_site]
