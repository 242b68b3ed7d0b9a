"""gunicorn's settings (read from the working directory; `gunicorn -c gunicorn.conf.py mentorat.wsgi:application`).

- No access log by default: a dated line per questionnaire request would tell who answered when. Should one be turned
  on (`--access-logfile -`), its lines go through the same filter as the error log, which blanks the token of every
  personal link (mentorat.masquage).
- No `Server` header: it would name the server software to anyone scanning for it.
"""

import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = None
errorlog = "-"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"liens_personnels": {"()": "mentorat.masquage.MasqueLiensPersonnels"}},
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s", "class": "logging.Formatter"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["liens_personnels"],
            "stream": "ext://sys.stdout",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["liens_personnels"],
            "stream": "ext://sys.stderr",
        },
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {
            "level": "INFO",
            "handlers": ["error_console"],
            "propagate": False,
            "qualname": "gunicorn.error",
        },
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["console"],
            "propagate": False,
            "qualname": "gunicorn.access",
        },
    },
}

_entetes_par_defaut = gunicorn.http.wsgi.Response.default_headers


def _sans_server(self) -> list[str]:
    return [entete for entete in _entetes_par_defaut(self) if not entete.lower().startswith("server:")]


gunicorn.http.wsgi.Response.default_headers = _sans_server
