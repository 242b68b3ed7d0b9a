"""The outbox: every e-mail is a row written with the change that causes it, then claimed, sent and recorded.

- `mettre_en_file(nom, destinataires, contexte, cle=...)` writes a `Courriel` in the caller's transaction and
  enqueues its sending after commit. Should the broker be down, nothing fails: the row waits for the sweep.
- `reserver_et_envoyer` is the one claim-and-send helper of the three outbox tables (`Courriel`,
  `suivi.Rappel`, `evaluation.Envoi`): an atomic claim with a lease, the SMTP conversation, then the outcome
  recorded on the row: sent; a temporary failure (4xx, timeout, refused connection) tried again later with a
  growing delay, for `COURRIELS_DUREE_RELANCES`; a permanent one (5xx, a template error) given up at once
  with the server's answer.
- `balayer` (Celery beat, every `COURRIELS_BALAYAGE_SECONDES`) enqueues every row that is due and not held,
  whatever became of the task that was meant to send it.

Retries never go through the broker's countdowns: a row waits in the database, so no task sits in Redis long
enough to be delivered twice (see README, "Courriels").

The one window left: the SMTP server accepted a message and the worker died before writing `envoye_le`. The
row is sent again once its lease expires, with the same `Message-ID`, which lets a receiving server drop it.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable, Sequence
from functools import partial
from importlib import import_module
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.core.mail import make_msgid
from django.db import DatabaseError, models, transaction
from django.db.models import Case, F, Min, Q, QuerySet, Value, When
from django.utils import timezone

from . import emails
from .models import Courriel, EnvoiUnique

logger = logging.getLogger(__name__)

REFERENCE = "__objet__"


def mettre_en_file(
    nom: str, destinataires: Sequence[str], contexte: dict[str, Any], *, cle: str, cc: Sequence[str] = ()
) -> Courriel:
    """Put e-mail `nom` in the outbox, in the current transaction, and send it after commit.

    `contexte` may hold model instances (read again when sending) and JSON values. `cle` names the fact the
    e-mail tells (e.g. ``f"candidature-accuse:{candidature.pk}"``): a second call with the same key returns the
    first row and sends nothing more.
    """
    with transaction.atomic():
        courriel, cree = Courriel.objects.get_or_create(
            cle=cle,
            defaults={
                "nom": nom,
                "destinataires": list(destinataires),
                "copie": list(cc),
                "contexte": {cle_: _reference(valeur) for cle_, valeur in contexte.items()},
            },
        )
        if cree:
            apres_commit(Courriel.tache_envoi, courriel.pk)
    return courriel


def _reference(valeur: Any) -> Any:
    if isinstance(valeur, models.Model):
        return {REFERENCE: valeur._meta.label_lower, "pk": valeur.pk}
    return valeur


def _objet(valeur: Any) -> Any:
    if isinstance(valeur, dict) and REFERENCE in valeur:
        return apps.get_model(valeur[REFERENCE])._default_manager.get(pk=valeur["pk"])
    return valeur


def envoyer_courriel(*, courriel_id: int) -> bool:
    """Send one `Courriel` row (through `reserver_et_envoyer`); its context is emptied once it has left."""

    def envoyer() -> None:
        courriel = Courriel.objects.get(pk=courriel_id)
        contexte = {cle: _objet(valeur) for cle, valeur in courriel.contexte.items()}
        emails.envoyer(courriel.nom, courriel.destinataires, contexte, cc=courriel.copie)

    envoye = reserver_et_envoyer(Courriel.objects.all(), courriel_id, envoyer)
    if envoye:
        Courriel.objects.filter(pk=courriel_id).update(contexte={})
    return envoye


def apres_commit(tache: str, *arguments: Any) -> None:
    """Enqueue Celery task `tache` (dotted name) once the current transaction commits.

    A rolled-back change sends nothing. A broker that cannot be reached is logged, not raised: the data is
    saved, the person's request answers normally, and the sweep sends the row when the broker is back.
    """
    transaction.on_commit(partial(_publier, tache, arguments))


def _publier(tache: str, arguments: tuple) -> None:
    _publier_lot(tache, [arguments])


def _publier_lot(tache: str, lot: list[tuple]) -> None:
    """Publish one message per arguments of `lot`, through one producer (the sweep publishes thousands)."""
    from .celery import app

    module, nom = tache.rsplit(".", 1)
    envoi = getattr(import_module(module), nom)
    try:
        if app.conf.task_always_eager:
            for arguments in lot:
                envoi.delay(*arguments)
            return
        with app.producer_or_acquire() as producteur:
            for arguments in lot:
                envoi.apply_async(arguments, producer=producteur)
    except Exception as erreur:  # kombu's errors differ by transport; any of them leaves the row to the sweep
        if app.conf.task_always_eager:
            raise
        logger.warning("Courriel en attente du balayage : file de tâches injoignable (%s).", type(erreur).__name__)


def tables() -> list[type[EnvoiUnique]]:
    """The outbox's tables: every concrete model built on `EnvoiUnique`."""
    return [modele for modele in apps.get_models() if issubclass(modele, EnvoiUnique)]


def _maintenant() -> datetime.datetime:
    return timezone.now()


def dus(modele: type[EnvoiUnique], maintenant: datetime.datetime) -> QuerySet[Any]:
    """The rows of `modele` to send now: wanted, neither sent nor given up, their time come, held by no one."""
    return _libres(modele.envoyables(), maintenant).filter(prochaine_tentative__lte=maintenant)


def _libres(envoyables: QuerySet[Any], maintenant: datetime.datetime) -> QuerySet[Any]:
    bail = datetime.timedelta(seconds=settings.COURRIELS_BAIL_SECONDES)
    return envoyables.filter(Q(reserve_le=None) | Q(reserve_le__lt=maintenant - bail), envoye_le=None, echoue_le=None)


def reserver_et_envoyer(envoyables: QuerySet[Any], pk: int, envoyer: Callable[[], None]) -> bool:
    """Send the e-mail of row `pk` of an outbox table once; True when sent now, False otherwise.

    `envoyables` selects the rows that may still be sent (a pair stopped since, a questionnaire answered since
    are left out). The claim is its own committed UPDATE: it sets the lease (`reserve_le`), counts the attempt
    and gives the row its `Message-ID`; a second worker, or a task delivered twice, finds the row held and does
    nothing; a lease older than `COURRIELS_BAIL_SECONDES` (a worker killed mid-send) is free again. Then
    `envoyer()` speaks to the SMTP server and the outcome is written (see `_echec`). Database errors are raised
    again so that the Celery task tries later.
    """
    maintenant = _maintenant()
    modele = envoyables.model
    # The next attempt's time is the sweep's business, not the claim's: a task is enqueued only for a due row
    # (after commit, by the sweep, which moves that time one lease ahead as it enqueues, or by « renvoyer »).
    pris = (
        _libres(envoyables, maintenant)
        .filter(pk=pk)
        .update(
            reserve_le=maintenant,
            tentatives=F("tentatives") + 1,
            message_id=Case(When(message_id="", then=Value(make_msgid(domain=_domaine()))), default=F("message_id")),
        )
    )
    if pris != 1:
        return False
    ligne = modele._default_manager.filter(pk=pk)
    message_id = ligne.values_list("message_id", flat=True).get()
    try:
        with emails.avec_message_id(message_id):
            envoyer()
    except DatabaseError:
        ligne.update(reserve_le=None)
        raise
    except Exception as erreur:
        _echec(ligne, erreur)
        return False
    ligne.update(envoye_le=timezone.now(), reserve_le=None, derniere_erreur="")
    return True


def _domaine() -> str:
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "mentorat.localhost"


def permanente(erreur: BaseException) -> bool:
    """Whether trying again cannot help: a 5xx answer, or an error of ours (template, missing row)."""
    if isinstance(erreur, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in erreur.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(erreur, smtplib.SMTPResponseException):
        return erreur.smtp_code >= 500
    # Timeouts, refused or dropped connections, a 4xx, a task stopped by its time limit: may work later.
    return not isinstance(erreur, smtplib.SMTPException | OSError | SoftTimeLimitExceeded)


def texte_erreur(erreur: BaseException) -> str:
    """The server's answer (code and text) as the admin and the dashboard show it; never the message itself."""
    if isinstance(erreur, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{adresse} : {code} {_decode(message)}" for adresse, (code, message) in erreur.recipients.items()
        )
    if isinstance(erreur, smtplib.SMTPResponseException):
        return f"{erreur.smtp_code} {_decode(erreur.smtp_error)}"
    return f"{type(erreur).__name__} : {erreur}"[:2000]


def _decode(message: bytes | str) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def delai_avant_essai(tentatives: int) -> datetime.timedelta:
    """Doubling from `COURRIELS_RELANCE_MIN_SECONDES` after each failed attempt, up to the maximum."""
    secondes = settings.COURRIELS_RELANCE_MIN_SECONDES * 2 ** max(tentatives - 1, 0)
    return datetime.timedelta(seconds=min(secondes, settings.COURRIELS_RELANCE_MAX_SECONDES))


def _echec(ligne: QuerySet[Any], erreur: BaseException) -> None:
    maintenant = _maintenant()
    tentatives, premiere = ligne.values_list("tentatives", "premiere_erreur_le").get()
    premiere = premiere or maintenant
    texte = texte_erreur(erreur)
    abandon = permanente(erreur) or maintenant - premiere >= datetime.timedelta(
        seconds=settings.COURRIELS_DUREE_RELANCES_SECONDES
    )
    ligne.update(
        reserve_le=None,
        premiere_erreur_le=premiere,
        derniere_erreur=texte,
        echoue_le=maintenant if abandon else None,
        prochaine_tentative=maintenant + delai_avant_essai(tentatives),
    )
    nom = f"{ligne.model._meta.label} {ligne.values_list('pk', flat=True).get()}"
    if abandon:
        # ERROR reaches ADMINS (and the error tracker when configured): the row is on the dashboard too.
        logger.error("Courriel abandonné (%s) après %s tentative(s) : %s", nom, tentatives, texte)
    else:
        logger.warning("Courriel à réessayer (%s, tentative %s) : %s", nom, tentatives, texte)


def balayer(*, lot: int | None = None) -> int:
    """Enqueue the sending of every due row of the outbox; returns how many were enqueued.

    By batches of `lot` rows per table: each batch is read with FOR UPDATE SKIP LOCKED (two beats sweeping at
    once share the rows instead of both taking them) and its next attempt moved one lease ahead, so that the
    next sweep leaves it to the task just enqueued unless that task never ran.
    """
    lot = lot or settings.COURRIELS_LOT
    bail = datetime.timedelta(seconds=settings.COURRIELS_BAIL_SECONDES)
    total = 0
    for modele in tables():
        while True:
            with transaction.atomic():
                maintenant = _maintenant()
                ids = list(
                    dus(modele, maintenant)
                    .order_by("prochaine_tentative")
                    .select_for_update(skip_locked=True, of=("self",))
                    .values_list("pk", flat=True)[:lot]
                )
                modele._default_manager.filter(pk__in=ids).update(prochaine_tentative=maintenant + bail)
                transaction.on_commit(partial(_publier_lot, modele.tache_envoi, [(pk,) for pk in ids]))
            total += len(ids)
            if len(ids) < lot:
                break
    return total


def renvoyer(lignes: QuerySet[Any]) -> int:
    """Send again rows given up (after an address was corrected): due now, with a fresh span of retries."""
    ids = list(lignes.filter(envoye_le=None).values_list("pk", flat=True))
    with transaction.atomic():
        lignes.model._default_manager.filter(pk__in=ids).update(
            echoue_le=None, premiere_erreur_le=None, reserve_le=None, prochaine_tentative=timezone.now()
        )
        for pk in ids:
            apres_commit(lignes.model.tache_envoi, pk)
    return len(ids)


def en_souffrance(modele: type[EnvoiUnique]) -> QuerySet[Any]:
    """Rows given up, or still unsent after a failed attempt: what the engineers must look at."""
    return modele._default_manager.filter(envoye_le=None).filter(Q(echoue_le__isnull=False) | Q(tentatives__gt=0))


def plus_ancien_du(maintenant: datetime.datetime | None = None) -> datetime.datetime | None:
    """The due time of the oldest row still waiting to be sent, across the outbox (None when all is sent)."""
    maintenant = maintenant or _maintenant()
    dates = [
        modele.envoyables()
        .filter(envoye_le=None, echoue_le=None, prochaine_tentative__lte=maintenant)
        .aggregate(d=Min("prochaine_tentative"))["d"]
        for modele in tables()
    ]
    return min((d for d in dates if d), default=None)
