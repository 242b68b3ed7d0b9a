"""Time the programme dashboard (the committee's home page) at national scale, and count its queries.

The world is generated in a database of its own (`mentorat.mesures.base_de_mesure`: created, migrated, then
dropped): one promotion in the middle of its year with 2,000 applications, 1,000 pairs and 8,000 meetings, and
a few earlier promotions, so that the page also has every promotion to compare.
"""

import datetime
import random
import statistics
import time

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from binomes.models import Binome, StatutBinome
from candidatures.departements import departements
from candidatures.models import Candidature, Orientation, Role, Statut
from mentorat.mesures import base_de_mesure
from mentorat.models import GROUPE_INGENIEUR, GROUPE_PILOTE, Corps, Promotion, Utilisateur
from suivi.models import EtatRencontre, Mode, Rencontre


class Command(BaseCommand):
    help = (
        "Mesure, dans une base de mesure créée puis supprimée, le temps de réponse et le nombre de requêtes du "
        "tableau de bord du programme à l'échelle nationale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidatures", type=int, default=2000)
        parser.add_argument("--binomes", type=int, default=1000)
        parser.add_argument("--rencontres", type=int, default=8000)
        parser.add_argument("--promotions", type=int, default=4, help="promotions passées, en plus de celle mesurée")
        parser.add_argument("--repetitions", type=int, default=5)

    def handle(self, *args, candidatures, binomes, rencontres, promotions, repetitions, **options):
        with base_de_mesure() as nom:
            self.stdout.write(f"Base de mesure : {nom} (créée et migrée pour cette mesure).")
            debut = time.perf_counter()
            comite = self._generer(candidatures, binomes, rencontres, promotions)
            self.stdout.write(
                f"Généré en {time.perf_counter() - debut:.1f} s : {Candidature.objects.count()} candidatures, "
                f"{Binome.objects.count()} binômes, {Rencontre.objects.count()} rencontres, "
                f"{Promotion.objects.count()} promotions."
            )
            if connection.vendor == "postgresql":
                with connection.cursor() as curseur:
                    curseur.execute("ANALYZE")
            for libelle, membre in comite:
                self._mesurer(libelle, membre, repetitions)
        self.stdout.write(f"Base de mesure {nom} supprimée : la base de l'application n'a été ni lue ni modifiée.")

    def _mesurer(self, libelle: str, membre: Utilisateur, repetitions: int) -> None:
        client = Client()
        client.force_login(membre)
        # A committee session has passed its second factor (`SecondFacteurMiddleware`), as after the code page.
        appareil = TOTPDevice.objects.create(user=membre, name="Mesure", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
        session.save()
        url = reverse("admin:index")
        # The test client's host name, over plain HTTP, whatever the settings of the deployment measured.
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            client.get(url)  # templates and the map's file read once, as in a running server
            # The first display after a change of the data computes the figures; the next ones read them from the
            # cache (`mentorat.tableau_de_bord`): both are measured, the first one after emptying the cache.
            cache.clear()
            with CaptureQueriesContext(connection) as capture:
                debut = time.perf_counter()
                client.get(url)
                premier, requetes_premier = time.perf_counter() - debut, len(capture)
            durees, requetes = [], 0
            for _ in range(repetitions):
                with CaptureQueriesContext(connection) as capture:
                    debut = time.perf_counter()
                    reponse = client.get(url)
                    durees.append(time.perf_counter() - debut)
                requetes = len(capture)
        if reponse.status_code != 200:
            raise CommandError(f"Le tableau de bord a répondu {reponse.status_code}.")
        self.stdout.write(
            f"Tableau de bord ({libelle}) : premier affichage {premier * 1000:.0f} ms, {requetes_premier} requêtes "
            f"SQL ; ensuite, chiffres en cache : médiane {statistics.median(durees) * 1000:.0f} ms, "
            f"maximum {max(durees) * 1000:.0f} ms sur {repetitions} affichages, {requetes} requêtes SQL, "
            f"{len(reponse.content) // 1024} Ko de HTML."
        )

    def _generer(self, nombre_candidatures, nombre_binomes, nombre_rencontres, anciennes):
        rng = random.Random(2024)  # noqa: S311 - benchmark data
        aujourd_hui = timezone.localdate()
        mot_de_passe = make_password("mesure-du-tableau-de-bord")
        pilote = Utilisateur.objects.create(email="pilote@mesure.fr", prenom="P", nom="Pilote", is_staff=True)
        ingenieurs = [
            Utilisateur.objects.create(email=f"ing{n}@mesure.fr", prenom="I", nom=f"Ing{n}", is_staff=True)
            for n in range(8)
        ]
        pilote.groups.add(Group.objects.get(name=GROUPE_PILOTE))
        for ingenieur in ingenieurs:
            ingenieur.groups.add(Group.objects.get(name=GROUPE_INGENIEUR))
        codes = list(departements())
        for rang in range(anciennes + 1):
            lancement = aujourd_hui - datetime.timedelta(days=200 + 365 * rang)
            promotion = Promotion.objects.create(
                nom=f"{lancement.year}/{lancement.year + 1}",
                date_premier_poste=lancement - datetime.timedelta(days=100),
                ouverture_candidatures=timezone.now() - datetime.timedelta(days=400 + 365 * rang),
                cloture_candidatures=timezone.now() - datetime.timedelta(days=300 + 365 * rang),
                journee_lancement=lancement,
                lieu_lancement="Paris",
                evenement_mi_parcours=lancement + datetime.timedelta(days=180),
                journee_bilan=lancement + datetime.timedelta(days=330),
                fin=lancement + datetime.timedelta(days=360),
                email_contact="mentorat@mesure.fr",
            )
            echelle = 1 if rang == 0 else 10  # earlier promotions: a tenth of the size
            self._promotion(
                promotion,
                nombre_candidatures // echelle,
                nombre_binomes // echelle,
                nombre_rencontres // echelle,
                ingenieurs,
                codes,
                rng,
                mot_de_passe,
            )
        return [("ingénieur", ingenieurs[0]), ("pilote", pilote)]

    def _promotion(self, promotion, nombre, nombre_binomes, nombre_rencontres, ingenieurs, codes, rng, mot_de_passe):
        prefixe = promotion.nom.replace("/", "")
        utilisateurs = Utilisateur.objects.bulk_create(
            Utilisateur(
                email=f"c{n}.{prefixe}@mesure.fr", prenom="C", nom=f"N{n}", password=mot_de_passe, email_confirme=True
            )
            for n in range(nombre)
        )
        statuts = [Statut.RETENUE] * 6 + [Statut.NON_RETENUE, Statut.RECEVABLE, Statut.SOUMISE, Statut.RETIREE]
        candidatures = Candidature.objects.bulk_create(
            Candidature(
                promotion=promotion,
                utilisateur=utilisateur,
                role=Role.MENTOR if n % 2 else Role.MENTORE,
                corps=rng.choice([Corps.DH, Corps.D3S, Corps.DS]),
                fonction="Directeur adjoint",
                etablissement=f"CH {n}",
                type_etablissement="sanitaire",
                departement=(code := rng.choice(codes)),
                region=departements()[code].region,
                motivation="Mesure.",
                mode_rencontre="les_deux",
                statut=Statut.RETENUE if n < 2 * nombre_binomes else rng.choice(statuts),
                orientation=rng.choice(list(Orientation)),
            )
            for n, utilisateur in enumerate(utilisateurs)
        )
        mentores, mentors = candidatures[0 : 2 * nombre_binomes : 2], candidatures[1 : 2 * nombre_binomes : 2]
        etats = [StatutBinome.ACTIF] * 8 + [StatutBinome.CONFIRME, StatutBinome.ARRETE]
        binomes = Binome.objects.bulk_create(
            Binome(
                promotion=promotion,
                mentore=mentore,
                mentor=mentor,
                referent=ingenieurs[n % len(ingenieurs)],
                decide_par=ingenieurs[0],
                statut=(statut := rng.choice(etats)),
                date_arret=promotion.journee_lancement + datetime.timedelta(days=90)
                if statut == StatutBinome.ARRETE
                else None,
                score=rng.randrange(40, 100),
            )
            for n, (mentore, mentor) in enumerate(zip(mentores, mentors, strict=False))
        )
        par_binome = max(nombre_rencontres // max(len(binomes), 1), 1)
        fin = min(timezone.localdate(), promotion.fin)
        etendue = max((fin - promotion.journee_lancement).days, 1)
        Rencontre.objects.bulk_create(
            Rencontre(
                binome=binome,
                date=promotion.journee_lancement + datetime.timedelta(days=jour),
                mode=Mode.PRESENTIEL,
                etat=EtatRencontre.TENUE,
            )
            for binome in binomes
            for jour in sorted(rng.sample(range(1, etendue + 1), min(par_binome, etendue)))
        )
