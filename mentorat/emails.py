"""The service's e-mails: built from template triplets, sent by Celery tasks, each sent exactly once.

Each e-mail `nom` has three templates in `templates/emails/`:
`<nom>-subject.txt`, `<nom>-body.txt` and `<nom>-body.html`.
"""

import smtplib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from celery import Task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import DOMAINE_ANONYME

# The connection `envoyer` sends through, when a caller chose one (`vers`); Django's default otherwise.
_CONNEXION: ContextVar[BaseEmailBackend | None] = ContextVar("connexion_courriels", default=None)
# The Message-ID of the outbox row being sent (`courriels.reserver_et_envoyer`), the same at every attempt.
_MESSAGE_ID: ContextVar[str] = ContextVar("message_id", default="")

# A file attached to an e-mail: (file name, content, MIME type).
PieceJointe = tuple[str, str | bytes, str]
# E-mail name -> the function that builds its attachments from the context, when the e-mail is built (sent):
# an outbox row keeps references to rows, never a file, and the attachment says what is true when it leaves.
_PIECES_JOINTES: dict[str, Callable[[dict], list[PieceJointe]]] = {}


def pieces_jointes(nom: str) -> Callable[[Callable[[dict], list[PieceJointe]]], Callable[[dict], list[PieceJointe]]]:
    """Decorator: the function builds the attachments of e-mail `nom` from its context (registered in an app's
    `ready()`, so that every process that sends, web or worker, knows it)."""

    def enregistrer(fonction: Callable[[dict], list[PieceJointe]]) -> Callable[[dict], list[PieceJointe]]:
        _PIECES_JOINTES[nom] = fonction
        return fonction

    return enregistrer


def construire(
    nom: str, destinataires: Sequence[str], contexte: dict, *, cc: Sequence[str] = ()
) -> EmailMultiAlternatives:
    contexte = {"site_url": settings.SITE_URL, **contexte}
    with translation.override(settings.LANGUAGE_CODE):
        sujet = " ".join(render_to_string(f"emails/{nom}-subject.txt", contexte).split())
        texte = render_to_string(f"emails/{nom}-body.txt", contexte)
        html = render_to_string(f"emails/{nom}-body.html", contexte)
    message = EmailMultiAlternatives(sujet, texte, to=list(destinataires), cc=list(cc))
    message.attach_alternative(html, "text/html")
    if nom in _PIECES_JOINTES:
        for fichier, contenu, type_mime in _PIECES_JOINTES[nom](contexte):
            message.attach(fichier, contenu, type_mime)
    return message


def envoyer(nom: str, destinataires: Sequence[str], contexte: dict, *, cc: Sequence[str] = ()) -> None:
    """Render and send e-mail `nom` now; SMTP errors propagate so that a Celery task can retry.

    Anonymised persons' addresses are left out (a status notification or a reminder queued before an erasure);
    with no recipient left, nothing is sent."""
    destinataires = [d for d in destinataires if not d.endswith("@" + DOMAINE_ANONYME)]
    cc = [d for d in cc if not d.endswith("@" + DOMAINE_ANONYME)]
    if not destinataires:
        return
    message = construire(nom, destinataires, contexte, cc=cc)
    if _MESSAGE_ID.get():
        message.extra_headers["Message-ID"] = _MESSAGE_ID.get()
    message.connection = _CONNEXION.get()
    message.send(fail_silently=False)


@contextmanager
def avec_message_id(message_id: str) -> Iterator[None]:
    jeton = _MESSAGE_ID.set(message_id)
    try:
        yield
    finally:
        _MESSAGE_ID.reset(jeton)


@contextmanager
def vers(connexion: BaseEmailBackend) -> Iterator[BaseEmailBackend]:
    """Within the block, the service's e-mails go through `connexion` (the demo writes them to a file)."""
    jeton = _CONNEXION.set(connexion)
    try:
        yield connexion
    finally:
        _CONNEXION.reset(jeton)


class FichierLisible(BaseEmailBackend):
    """Writes each e-mail, as a person reads it, at the end of a text file: sender, recipients and subject
    in French and decoded, then the plain-text body. The quick start's e-mails (`COURRIELS_FICHIER`).
    `nombre` counts the e-mails this connection wrote."""

    _verrou = threading.Lock()  # runserver answers in threads: one e-mail at a time in the file

    def __init__(self, chemin: str | Path | None = None, **options: Any):
        super().__init__(**options)
        self.chemin = Path(chemin or settings.COURRIELS_FICHIER)
        self.nombre = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        with self._verrou, self.chemin.open("a", encoding="utf-8") as fichier:
            for message in email_messages:
                fichier.write(_lisible(message))
        self.nombre += len(email_messages)
        return len(email_messages)


def _lisible(message: EmailMessage) -> str:
    entetes = [
        ("Date", timezone.localtime().strftime("%d/%m/%Y %H:%M")),
        ("De", message.from_email),
        ("À", ", ".join(message.to)),
        ("Copie", ", ".join(message.cc)),
        ("Objet", message.subject),
        ("Pièces jointes", ", ".join(p[0] for p in message.attachments if isinstance(p, tuple) and p[0])),
    ]
    lignes = [f"{nom} : {valeur}" for nom, valeur in entetes if valeur]
    return "\n".join(["=" * 72, *lignes, "", str(message.body).strip(), "", ""])


class TacheEnvoi(Task):
    """Base of the tasks that send one outbox row: only a database error is retried by Celery.

    SMTP failures are recorded on the row and tried again by the sweep (`courriels.balayer`): no countdown
    outlives the broker's visibility timeout, so no task is ever delivered twice from Redis.
    """

    autoretry_for = (DatabaseError,)
    retry_backoff = 5
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 10


class TacheCourriel(Task):
    """Base of an e-mail task not yet on the outbox: an SMTP, network or database error retries it later.

    Countdowns stay under ten minutes, far below the broker's visibility timeout (a longer one would be
    delivered twice). Prefer `courriels.mettre_en_file`, which keeps the e-mail in the database meanwhile.
    """

    autoretry_for = (smtplib.SMTPException, OSError, DatabaseError)
    retry_backoff = 60
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8


def apres_commit(tache: Task, *arguments: Any) -> None:
    """Enqueue `tache` once the current transaction commits; a broker out of reach is logged, never raised."""
    from .courriels import apres_commit as publier

    publier(tache.name, *arguments)
