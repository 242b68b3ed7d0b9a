"""The settings of the gunicorn that `manage.py bench` starts: the production settings, plus the bare view."""

from .settings import *  # noqa: F403

ROOT_URLCONF = "mentorat.urls_mesure"
# Static files by their plain names: the manifest of the production storage would need a `collectstatic` first,
# and the pages measured are the HTML ones (whitenoise serves the static files before any view).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
