"""What the engineers see of the machinery: health, the beat's last runs, the outbox's failed and late e-mails.

Used by /healthz/, the worker's health check (`manage.py sante`), the tracking dashboard and the committee's
daily digest of failed e-mails.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from celery.signals import task_prerun
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import courriels
from .models import ExecutionPeriodique, Utilisateur

# The failed and late rows listed on the dashboard, per table (the admin lists them all).
LIGNES_AFFICHEES = 50


def etat_base() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def etat_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from .celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "indisponible"


def sante(maintenant: datetime.datetime | None = None) -> dict[str, Any]:
    """Database, broker, the oldest e-mail due and unsent, and the last run of each periodic job."""
    maintenant = maintenant or timezone.now()
    base = etat_base()
    rapport: dict[str, Any] = {"base": "ok" if base else "indisponible", "broker": etat_broker()}
    rapport["statut"] = "ok" if base and rapport["broker"] in ("ok", "eager") else "degrade"
    try:
        plus_ancien = courriels.plus_ancien_du(maintenant)
        rapport["courriels"] = {
            "plus_ancien_du": plus_ancien.isoformat() if plus_ancien else None,
            "retard_secondes": int((maintenant - plus_ancien).total_seconds()) if plus_ancien else 0,
        }
        rapport["taches_periodiques"] = dernieres_executions()
    except DatabaseError:  # no database, or not migrated yet: the first two lines say enough
        pass
    return rapport


def dernieres_executions() -> dict[str, str | None]:
    """Each periodic job of the beat schedule, with the time its last run started (None: never ran)."""
    faites = dict(ExecutionPeriodique.objects.values_list("tache", "derniere_le"))
    return {
        nom: (faites[tache].isoformat() if tache in faites else None)
        for nom, tache in ((nom, entree["task"]) for nom, entree in settings.CELERY_BEAT_SCHEDULE.items())
    }


def dernieres_executions_lisibles() -> list[tuple[str, datetime.datetime | None]]:
    """(job, last start) for the dashboard, in the schedule's order."""
    faites = dict(ExecutionPeriodique.objects.values_list("tache", "derniere_le"))
    return [(nom, faites.get(str(entree["task"]))) for nom, entree in settings.CELERY_BEAT_SCHEDULE.items()]


@task_prerun.connect
def _noter_execution(sender=None, **_kwargs) -> None:
    """Record the start of every periodic job (the beat's liveness, as the worker sees it)."""
    nom = getattr(sender, "name", "")
    if nom in {entree["task"] for entree in settings.CELERY_BEAT_SCHEDULE.values()}:
        ExecutionPeriodique.objects.update_or_create(tache=nom, defaults={"derniere_le": timezone.now()})


@dataclass(frozen=True)
class EnvoiEnSouffrance:
    """A failed or late e-mail, as the dashboard and the digest show it."""

    table: str
    objet: str
    destinataires: str
    etat: str
    tentatives: int
    derniere_erreur: str
    prochaine_tentative: datetime.datetime | None
    lien_admin: str


def en_souffrance(limite: int = LIGNES_AFFICHEES) -> list[EnvoiEnSouffrance]:
    """Up to `limite` failed or late rows per outbox table, the most recent errors first: one query per table."""
    lignes = []
    for modele in courriels.tables():
        meta = modele._meta
        for ligne in courriels.en_souffrance(modele).order_by("-premiere_erreur_le", "-pk")[:limite]:
            lignes.append(
                EnvoiEnSouffrance(
                    table=str(meta.verbose_name),
                    objet=str(ligne),
                    destinataires=", ".join(getattr(ligne, "destinataires", [])),
                    etat=str(ligne.etat.label),
                    tentatives=ligne.tentatives,
                    derniere_erreur=ligne.derniere_erreur,
                    prochaine_tentative=None if ligne.echoue_le else ligne.prochaine_tentative,
                    lien_admin=_lien_admin(meta, ligne.pk),
                )
            )
    return lignes


def _lien_admin(meta, pk: int) -> str:
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])
    except NoReverseMatch:  # a table without its own admin page (questionnaire deliveries)
        return ""


def resumer_les_echecs(maintenant: datetime.datetime | None = None) -> int:
    """Put the committee's daily digest in the outbox when e-mails were given up in the last day; their number."""
    maintenant = maintenant or timezone.now()
    depuis = maintenant - datetime.timedelta(days=1)
    nombre = sum(
        modele._default_manager.filter(echoue_le__gte=depuis, envoye_le=None).count() for modele in courriels.tables()
    )
    if not nombre:
        return 0
    destinataires = list(Utilisateur.objects.comite().values_list("email", flat=True))
    if destinataires:
        with transaction.atomic():
            courriels.mettre_en_file(
                "courriels-echecs",
                destinataires,
                {"nombre": nombre, "lien": settings.SITE_URL + reverse("suivi:tableau_de_bord") + "#courriels"},
                cle=f"courriels-echecs:{timezone.localdate(maintenant).isoformat()}",
            )
    return nombre
