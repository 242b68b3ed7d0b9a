"""Time the outbox's sweep (`mentorat.courriels.balayer`) over many due e-mails, and count its queries.

The rows are written in a database of their own (`mentorat.mesures.base_de_mesure`: created, migrated, then
dropped). The sweep's tasks are published to Celery's in-memory transport, so that what is measured is the
sweep itself (reading the due rows, moving them one lease ahead, serialising one message per row), not a
worker sending e-mail.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorat import courriels
from mentorat.celery import app
from mentorat.mesures import base_de_mesure
from mentorat.models import Courriel


class Command(BaseCommand):
    help = (
        "Mesure, dans une base de mesure créée puis supprimée, la durée et le nombre de requêtes du balayage de la "
        "boîte d'envoi avec 100 000 courriels à envoyer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--courriels", type=int, default=100_000)
        parser.add_argument("--deja-envoyes", type=int, default=100_000, help="courriels déjà partis, à ignorer")
        parser.add_argument("--lot", type=int, default=None, help="lignes par lot (COURRIELS_LOT par défaut)")

    def handle(self, *args, courriels: int, deja_envoyes: int, lot: int | None, **options):
        nombre = courriels
        with base_de_mesure() as nom:
            self.stdout.write(f"Base de mesure : {nom} (créée et migrée pour cette mesure).")
            self._generer(nombre, deja_envoyes)
            eager, url = app.conf.task_always_eager, app.conf.broker_url
            app.conf.update(task_always_eager=False, broker_url="memory://localhost/")
            try:
                with CaptureQueriesContext(connection) as requetes:
                    debut = time.perf_counter()
                    mis_en_file = self._balayer(lot)
                    duree = time.perf_counter() - debut
                with CaptureQueriesContext(connection) as requetes_vide:
                    debut = time.perf_counter()
                    second = self._balayer(lot)
                    duree_vide = time.perf_counter() - debut
            finally:
                app.conf.update(task_always_eager=eager, broker_url=url)
            self.stdout.write(
                f"Balayage : {mis_en_file:,} courriels mis en file sur {nombre + deja_envoyes:,} lignes en "
                f"{duree:.2f} s ({duree / max(mis_en_file, 1) * 1e6:.0f} µs par courriel), "
                f"{len(requetes.captured_queries)} requêtes SQL (BEGIN et COMMIT compris)."
            )
            self.stdout.write(
                f"Balayage suivant (rien de dû) : {second} courriel en {duree_vide * 1000:.1f} ms, "
                f"{len(requetes_vide.captured_queries)} requêtes SQL (BEGIN et COMMIT compris)."
            )
        self.stdout.write(f"Base de mesure {nom} supprimée : la base de l'application n'a été ni lue ni modifiée.")

    def _generer(self, nombre: int, deja_envoyes: int) -> None:
        debut = time.perf_counter()
        maintenant = timezone.now()
        lignes = [
            Courriel(cle=f"mesure:{i}", nom="candidature-statut", destinataires=[f"personne{i}@exemple.fr"])
            for i in range(nombre)
        ]
        lignes += [
            Courriel(
                cle=f"parti:{i}",
                nom="candidature-statut",
                destinataires=[f"parti{i}@exemple.fr"],
                envoye_le=maintenant,
                tentatives=1,
            )
            for i in range(deja_envoyes)
        ]
        Courriel.objects.bulk_create(lignes, batch_size=5000)
        if connection.vendor == "postgresql":
            with connection.cursor() as curseur:
                curseur.execute("ANALYZE")
        self.stdout.write(
            f"Généré en {time.perf_counter() - debut:.1f} s : {nombre:,} courriels dus, {deja_envoyes:,} déjà envoyés."
        )

    def _balayer(self, lot: int | None) -> int:
        # Outside any transaction, as in the worker: each batch commits and publishes its messages.
        return courriels.balayer(lot=lot)
