"""A logging filter that blanks the personal links out of every log line: questionnaire, calendar, address
confirmation and password-reset links carry a token that is a credential, and a dated line naming a questionnaire
token would tell who answered when (the token names the invitation).

Plain Python, no Django import: gunicorn's master loads it (gunicorn.conf.py) before any application code. Wired on
the handlers, not the loggers, so that it sees the records that propagate from every logger: Django's `LOGGING`
(mentorat/settings.py), gunicorn's access and error logs (gunicorn.conf.py), Celery's worker and task logs
(mentorat/celery.py).
"""

import logging
import re

MASQUE = "[masqué]"

# A path segment ends at a slash, a space, a quote, a query string or the end of a line.
_SEGMENT = r"[^/\s?#\"'<>]+"
LIENS_PERSONNELS = [
    (re.compile(rf"(/questionnaire/){_SEGMENT}"), rf"\g<1>{MASQUE}"),
    (re.compile(rf"(/calendrier/){_SEGMENT}"), rf"\g<1>{MASQUE}"),
    (re.compile(rf"(/candidature/confirmer/){_SEGMENT}/{_SEGMENT}"), rf"\g<1>{MASQUE}"),
    (re.compile(rf"(/mot-de-passe/nouveau/){_SEGMENT}/{_SEGMENT}"), rf"\g<1>{MASQUE}"),
]


def masquer(texte: str) -> str:
    """`texte` with the token of every personal link replaced by `MASQUE`."""
    for motif, remplacement in LIENS_PERSONNELS:
        texte = motif.sub(remplacement, texte)
    return texte


class MasqueLiensPersonnels(logging.Filter):
    """Rewrites the record's message (and its traceback's text) without the tokens; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masque = masquer(message)
        if masque != message:
            record.msg, record.args = masque, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = masquer(record.exc_text)
        return True


def masquer_les_gestionnaires(logger: logging.Logger) -> None:
    """Puts the filter on each handler of `logger` (once): for loggers configured by someone else (Celery)."""
    for gestionnaire in logger.handlers:
        if not any(isinstance(f, MasqueLiensPersonnels) for f in gestionnaire.filters):
            gestionnaire.addFilter(MasqueLiensPersonnels())
