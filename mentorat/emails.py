"""The service's e-mails: built from template triplets, sent by Celery tasks, each sent exactly once.

Each e-mail `nom` has three templates in `templates/emails/`:
`<nom>-subject.txt`, `<nom>-body.txt` and `<nom>-body.html`.
"""

import datetime
import smtplib
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import Any

from celery import Task
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import DOMAINE_ANONYME, EnvoiUnique

# A worker killed while sending leaves its claim behind; after this delay another may take the row.
DELAI_RESERVATION = datetime.timedelta(minutes=15)

# The connection `envoyer` sends through, when a caller chose one (`vers`); Django's default otherwise.
_CONNEXION: ContextVar[BaseEmailBackend | None] = ContextVar("connexion_courriels", default=None)


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
    message.connection = _CONNEXION.get()
    message.send(fail_silently=False)


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
    ]
    lignes = [f"{nom} : {valeur}" for nom, valeur in entetes if valeur]
    return "\n".join(["=" * 72, *lignes, "", str(message.body).strip(), "", ""])


class TacheCourriel(Task):
    """Base of the Celery tasks that send e-mail: an SMTP or network error retries the task later.

    Backoff from one minute, doubling up to six hours apart, with jitter; eight retries cover about a day
    of mail server outage. One e-mail per task, so that a retry never sends twice what already left.
    """

    autoretry_for = (smtplib.SMTPException, OSError)
    retry_backoff = 60
    retry_backoff_max = 6 * 3600
    retry_jitter = True
    max_retries = 8


def apres_commit(tache: Task, *arguments: Any) -> None:
    """Enqueue `tache` once the current transaction commits: a rolled-back change sends nothing."""
    transaction.on_commit(partial(tache.delay, *arguments))


def reserver_et_envoyer(envoyables: QuerySet[Any], pk: int, envoyer: Callable[[], None]) -> bool:
    """Send the e-mail of row `pk` exactly once; True when sent now, False when there is nothing to do.

    `envoyables` selects the rows that may still be sent (an `EnvoiUnique` model, perhaps narrowed: a pair
    stopped since, a questionnaire answered since). The row is claimed in its own committed update
    (`reserve_le`, `tentatives` + 1), so that two workers, or a task delivered twice, never both send; a
    claim older than `DELAI_RESERVATION` is free again. Then `envoyer()` sends and `envoye_le` is set. On
    an error the claim is released, `derniere_erreur` recorded (shown in the admin) and the error raised
    again, so that the Celery task retries.
    """
    maintenant = timezone.now()
    libre = Q(reserve_le=None) | Q(reserve_le__lt=maintenant - DELAI_RESERVATION)
    pris = envoyables.filter(libre, pk=pk, envoye_le=None).update(reserve_le=maintenant, tentatives=F("tentatives") + 1)
    if pris != 1:
        return False
    lignes: QuerySet[EnvoiUnique] = envoyables.model._default_manager.filter(pk=pk)
    try:
        envoyer()
    except Exception as erreur:
        lignes.update(reserve_le=None, derniere_erreur=repr(erreur)[:2000])
        raise
    lignes.update(envoye_le=timezone.now(), derniere_erreur="")
    return True
