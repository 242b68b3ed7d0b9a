"""Time the retention job at national scale: the daily listing, the pilot's approval, the anonymisation.

The world is generated in a database of its own (`mentorat.mesures.base_de_mesure`: created, migrated, then
dropped): a promotion whose year ended long ago, with N applications that led to no pair, each by its own person.
"""

import datetime
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidatures.models import Candidature, Role, Statut
from mentorat.celery import app
from mentorat.mesures import base_de_mesure
from mentorat.models import Corps, Promotion, Utilisateur
from rgpd import services
from rgpd.models import Expiration


class Command(BaseCommand):
    help = (
        "Mesure, dans une base de mesure créée puis supprimée, la liste quotidienne des données arrivées à "
        "échéance, leur approbation et leur anonymisation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidatures", type=int, default=2_000)

    def handle(self, *args, candidatures: int, **options):
        with base_de_mesure() as nom:
            self.stdout.write(f"Base de mesure : {nom} (créée et migrée pour cette mesure).")
            pilote = self._generer(candidatures)
            self._mesurer("Liste quotidienne", services.lister_expirations)
            self._mesurer("Liste quotidienne, relancée (rien de nouveau)", services.lister_expirations)
            # The approval enqueues the anonymisation: measured apart, as the worker runs it.
            eager, app.conf.task_always_eager = app.conf.task_always_eager, False
            try:
                self._mesurer(
                    "Approbation de toute la liste", lambda: services.approuver(Expiration.objects.all(), par=pilote)
                )
            finally:
                app.conf.task_always_eager = eager
            self._mesurer("Anonymisation des éléments approuvés", services.anonymiser_approuvees, par_element=True)
        self.stdout.write(f"Base de mesure {nom} supprimée : la base de l'application n'a été ni lue ni modifiée.")

    def _generer(self, nombre: int) -> Utilisateur:
        """The promotion and its applications; returns the pilot who approves."""
        maintenant = timezone.now()
        promotion = Promotion.objects.create(
            nom="2020/2021",
            date_premier_poste=datetime.date(2020, 1, 1),
            ouverture_candidatures=maintenant - datetime.timedelta(days=5 * 365),
            cloture_candidatures=maintenant - datetime.timedelta(days=5 * 365 - 30),
            journee_lancement=timezone.localdate() - datetime.timedelta(days=5 * 365 - 60),
            lieu_lancement="Paris",
            evenement_mi_parcours=timezone.localdate() - datetime.timedelta(days=5 * 365 - 200),
            journee_bilan=timezone.localdate() - datetime.timedelta(days=4 * 365),
            fin=timezone.localdate() - datetime.timedelta(days=4 * 365 - 30),
            email_contact="mentorat@cng.example.fr",
        )
        empreinte = make_password(None)
        personnes = Utilisateur.objects.bulk_create(
            Utilisateur(email=f"personne{n}@exemple.fr", prenom=f"Prénom{n}", nom=f"Nom{n}", password=empreinte)
            for n in range(nombre)
        )
        Candidature.objects.bulk_create(
            Candidature(
                promotion=promotion,
                utilisateur=personne,
                role=Role.MENTORE,
                corps=Corps.DH,
                fonction="Directeur adjoint",
                etablissement="Centre hospitalier",
                type_etablissement="sanitaire",
                departement="33",
                region="Nouvelle-Aquitaine",
                motivation="Une motivation.",
                mode_rencontre="les_deux",
                statut=Statut.NON_RETENUE,
            )
            for personne in personnes
        )
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE")
        self.stdout.write(f"{nombre} candidatures sans binôme, arrivées à échéance.")
        return Utilisateur.objects.create(email="pilote@cng.example.fr", prenom="Pilote", nom="Programme")

    def _mesurer(self, libelle: str, action, *, par_element: bool = False) -> None:
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            resultat = action()
            duree = time.perf_counter() - debut
        ligne = f"{libelle} : {resultat} éléments, {duree:.2f} s, {len(requetes)} requêtes SQL"
        if par_element and resultat:
            ligne += f" ({1000 * duree / resultat:.1f} ms et {len(requetes) / resultat:.0f} requêtes par élément)"
        self.stdout.write(ligne + ".")
