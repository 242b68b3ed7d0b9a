"""Print how fast eligibility is checked and how the committee's list behaves with many applications.

The applications are created in a database of their own (`mentorat.mesures.base_de_mesure`: created,
migrated, then dropped): the application's database is left as it was, statistics included.
"""

import datetime
import time

from django.contrib import admin
from django.core.management.base import BaseCommand
from django.db import connection
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidatures import eligibilite
from candidatures.models import Candidature, Role, Statut
from mentorat.mesures import base_de_mesure
from mentorat.models import Promotion, Utilisateur


class Command(BaseCommand):
    help = (
        "Mesure la vérification d'éligibilité et la liste des candidatures de l'administration "
        "(dans une base de mesure créée puis supprimée)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--nombre", type=int, default=2000)

    def handle(self, *args, nombre: int, **options):
        self._eligibilite(nombre * 50)
        with base_de_mesure() as nom:
            self._liste(nombre)
        self.stdout.write(f"Base de mesure {nom} créée puis supprimée : la base de l'application n'a pas été modifiée.")

    def _eligibilite(self, nombre: int) -> None:
        regles = eligibilite.Regles(
            ("DH", "D3S", "DS"), ("DH", "D3S", "DS"), datetime.date(2024, 1, 1), datetime.date(2024, 2, 8)
        )
        dossiers = [
            eligibilite.Dossier("mentor", "DH", None, True, datetime.date(2000 + n % 20, 1 + n % 12, 1 + n % 28), n % 4)
            for n in range(nombre)
        ]
        debut = time.perf_counter()
        eligibles = sum(eligibilite.verifier(d, regles).eligible for d in dossiers)
        duree = time.perf_counter() - debut
        self.stdout.write(
            f"Éligibilité : {nombre} dossiers en {duree * 1000:.0f} ms "
            f"({nombre / duree:,.0f} par seconde), {eligibles} éligibles."
        )

    def _liste(self, nombre: int) -> None:
        maintenant = timezone.now()
        promotion = Promotion.objects.create(
            nom="mesure",
            date_premier_poste=datetime.date(2030, 1, 1),
            ouverture_candidatures=maintenant,
            cloture_candidatures=maintenant + datetime.timedelta(days=1),
            journee_lancement=datetime.date(2030, 2, 1),
            lieu_lancement="Paris",
            evenement_mi_parcours=datetime.date(2030, 6, 1),
            journee_bilan=datetime.date(2031, 1, 1),
            fin=datetime.date(2031, 2, 1),
            email_contact="mesure@exemple.fr",
        )
        utilisateurs = Utilisateur.objects.bulk_create(
            Utilisateur(email=f"mesure{n}@exemple.fr", prenom="Prénom", nom=f"Nom{n}") for n in range(nombre)
        )
        Candidature.objects.bulk_create(
            Candidature(
                promotion=promotion,
                utilisateur=u,
                role=Role.MENTOR if n % 2 else Role.MENTORE,
                corps="DH",
                fonction="Directeur",
                etablissement=f"CH {n}",
                type_etablissement="sanitaire",
                departement="33",
                region="Nouvelle-Aquitaine",
                motivation="Mesure.",
                mode_rencontre="visio",
                statut=Statut.SOUMISE,
            )
            for n, u in enumerate(utilisateurs)
        )
        requete = RequestFactory().get("/admin/candidatures/candidature/")
        requete.user = Utilisateur.objects.create_superuser("mesure-admin@exemple.fr", "x", prenom="M", nom="A")
        vue = admin.site._registry[Candidature]
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            reponse = vue.changelist_view(requete)
            assert isinstance(reponse, TemplateResponse)
            reponse.render()
            duree = time.perf_counter() - debut
        self.stdout.write(
            f"Liste de l'administration : {nombre} candidatures, {len(requetes)} requêtes SQL, {duree * 1000:.0f} ms."
        )
