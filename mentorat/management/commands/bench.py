"""Every page beside a bare Django view, under load, at national scale (`make bench`).

In a database of its own (`mentorat.mesures.base_de_mesure`: created, migrated, then dropped) the command builds a
national year: 2,000 applications, 1,000 pairs, 8,000 meetings, earlier promotions a tenth of its size, a campaign of
1,600 answers, and a promotion open to applications. It then starts the project under gunicorn (2 workers, DEBUG off,
`gunicorn.conf.py`, settings `mentorat.settings_mesure`, which add only the bare view: one `SELECT 1`), and loads
each page with wrk (16 connections) in interleaved rounds, the bare view in every round. It prints, per page, the
median requests per second, p50 and p99 latency over the rounds, the SQL queries of one request, and the ratio of
its requests per second to the bare view's; then the tracking-table exports of the 1,000 pairs.

Sessions are made here and handed to wrk as cookies: the server gets a secret key drawn for the run.
"""

import contextlib
import io
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from mentorat.mesures import base_de_mesure
from mentorat.middleware import CLE_ACTIVITE

WRK = shutil.which("wrk") or "/usr/bin/wrk"


@dataclass
class Page:
    nom: str
    url: str
    qui: str  # "anonyme" or a key of the sessions
    debits: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    requetes: int | None = None


def _reglages_du_cache(url: str) -> dict:
    """The cache and session settings the production settings derive from `CACHE_URL=url`."""
    import environ

    from mentorat import cache_redis

    caches = {"default": {**environ.Env.cache_url_config(url), "BACKEND": cache_redis.BACKEND}}
    return {"CACHES": caches, "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db"}


@contextlib.contextmanager
def _redis_vide(url: str):
    """The measure's Redis base emptied before and after: no key of an earlier run is served, none is left."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield
    finally:
        client.flushdb()
        client.close()


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _duree_ms(texte: str) -> float:
    nombre, unite = re.fullmatch(r"([\d.]+)(us|ms|s|m)", texte).groups()  # type: ignore[union-attr]
    return float(nombre) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unite]


def lire_wrk(sortie: str) -> tuple[float, float, float, int]:
    """Requests/s, p50 and p99 (ms), and the count of non-2xx/3xx answers, from `wrk --latency`'s output."""
    debit = float(re.search(r"Requests/sec:\s+([\d.]+)", sortie).group(1))  # type: ignore[union-attr]
    p50 = _duree_ms(re.search(r"^\s+50%\s+(\S+)", sortie, re.M).group(1))  # type: ignore[union-attr]
    p99 = _duree_ms(re.search(r"^\s+99%\s+(\S+)", sortie, re.M).group(1))  # type: ignore[union-attr]
    erreurs = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", sortie)
    return debit, p50, p99, int(erreurs.group(1)) if erreurs else 0


class Command(BaseCommand):
    help = (
        "Mesure chaque page sous charge (gunicorn, wrk) à côté d'une vue Django nue (un SELECT 1), à l'échelle "
        "nationale, dans une base de mesure créée puis supprimée ; puis les exports des tableaux de suivi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duree", default="5s", help="durée de chaque passage de wrk (ex. 5s, 8s)")
        parser.add_argument("--tours", type=int, default=3, help="tours entrelacés (médiane sur les tours)")
        parser.add_argument("--connexions", type=int, default=16)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--candidatures", type=int, default=2000)
        parser.add_argument("--binomes", type=int, default=1000)
        parser.add_argument("--rencontres", type=int, default=8000)
        parser.add_argument("--reponses", type=int, default=1600)
        parser.add_argument("--sans-exports", action="store_true", help="ne mesure pas les exports")
        parser.add_argument(
            "--exports-seuls", action="store_true", help="ne mesure que les exports (ni gunicorn ni wrk)"
        )
        parser.add_argument(
            "--redis",
            default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
            help="le cache de gunicorn, comme CACHE_URL en production : une base Redis à elle, vidée au début "
            "et à la fin (défaut : BENCH_REDIS_URL ou redis://127.0.0.1:6379/14)",
        )
        parser.add_argument(
            "--pages",
            default="",
            metavar="MOTS",
            help="seules les pages dont le nom contient l'un de ces mots (séparés par des virgules), "
            "à côté de la vue nue ; ex. « espace,rencontres »",
        )
        parser.add_argument(
            "--profil",
            type=int,
            default=0,
            metavar="N",
            help="au lieu de la charge : profile N affichages de chaque page dans ce processus (cProfile)",
        )

    def handle(self, *args, **options):
        if not os.path.exists(WRK):
            raise CommandError("wrk est introuvable (Debian : apt-get install wrk).")
        if connection.vendor != "postgresql":
            raise CommandError("La mesure se fait sur PostgreSQL : DATABASE_URL=postgres://…")
        # Stopped (SIGTERM, a timeout): through the `finally` blocks, so that gunicorn stops and the base is dropped.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        with base_de_mesure() as nom:
            self.stdout.write(f"Base de mesure : {nom} (créée et migrée pour cette mesure, supprimée à la fin).")
            debut = time.perf_counter()
            monde = self._generer(options)
            self.stdout.write(f"Données générées en {time.perf_counter() - debut:.0f} s : {monde['resume']}.")
            with connection.cursor() as curseur:
                curseur.execute("ANALYZE")  # autocommit: the statistics stay, as in a live database
            if not options["exports_seuls"]:
                self._charge(nom, monde, options)
            if not options["sans_exports"]:
                self._exports(nom, monde, options["redis"])
            connection.close()
        self.stdout.write(f"Base de mesure {nom} supprimée.")

    def _charge(self, nom: str, monde, options) -> None:
        cle = secrets.token_urlsafe(48)
        # gunicorn's key: the questionnaire's signed address is built with it, and so are the counting clients'
        # sessions, which read that address too.
        # The caches of production (`CACHE_URL`): the pages' and the sessions' (`settings.SESSION_ENGINE`), here
        # for the counts and the profile as in gunicorn, in a Redis base of the measure's own.
        with (
            override_settings(SECRET_KEY=cle, **_reglages_du_cache(options["redis"])),
            _redis_vide(options["redis"]),
        ):
            pages = self._pages(monde, options["pages"])
            cookies = self._sessions(monde, cle)
            clients = self._compter_requetes(pages, monde)
            if options["profil"]:
                self._profiler(pages, clients, options["profil"])
            else:
                self._sous_charge(nom, cle, pages, cookies, options)

    # -- the national year ---------------------------------------------------------------------------------------

    def _generer(self, options) -> dict:
        import datetime

        from binomes.models import Binome, StatutBinome
        from candidatures.models import Candidature, Role
        from evaluation.management.commands.benchmark_synthese_pdf import Command as Synthese
        from evaluation.models import Campagne, Invitation, Reponse, TypeCampagne
        from mentorat.management.commands.benchmark_tableau_de_bord import Command as TableauDeBord
        from mentorat.models import Corps, Promotion
        from suivi.models import Rencontre

        comite = TableauDeBord()._generer(options["candidatures"], options["binomes"], options["rencontres"], 4)
        ingenieur = comite[0][1]
        mesuree = Promotion.objects.order_by("-journee_lancement").first()
        campagne = Synthese()._campagne(options["reponses"])
        # Next year's promotion recruits: the home page and the forms show it, open.
        if mesuree is None:
            raise CommandError("Aucune promotion générée.")
        maintenant = timezone.now()
        suivante = mesuree.journee_lancement + datetime.timedelta(days=365)
        Promotion.objects.create(
            nom=f"{suivante.year}/{suivante.year + 1}",
            est_courante=True,
            date_premier_poste=suivante - datetime.timedelta(days=100),
            ouverture_candidatures=maintenant - datetime.timedelta(days=10),
            cloture_candidatures=maintenant + datetime.timedelta(days=30),
            journee_lancement=suivante,
            lieu_lancement="Paris",
            evenement_mi_parcours=suivante + datetime.timedelta(days=180),
            journee_bilan=suivante + datetime.timedelta(days=330),
            fin=suivante + datetime.timedelta(days=360),
            email_contact="mentorat@mesure.fr",
        )
        # The mid-year questionnaire open now, to which the mentee measured below is invited.
        questionnaire = Campagne.objects.create(
            promotion=mesuree,
            type=TypeCampagne.MI_PARCOURS,
            ouverture=maintenant - datetime.timedelta(days=1),
            fermeture=maintenant + datetime.timedelta(days=14),
        )
        binome = (
            Binome.objects.filter(promotion=mesuree, statut=StatutBinome.ACTIF)
            .select_related("mentore__utilisateur")
            .order_by("pk")
            .first()
        )
        if binome is None:
            raise CommandError("Aucun binôme actif généré : augmentez --binomes.")
        invitation = Invitation.objects.create(
            campagne=questionnaire, utilisateur=binome.mentore.utilisateur, role=Role.MENTORE, corps=Corps.DH
        )
        return {
            "ingenieur": ingenieur,
            "mentore": binome.mentore.utilisateur,
            "promotion": mesuree,
            "campagne": campagne,
            "invitation": invitation,
            "resume": (
                f"{Candidature.objects.count()} candidatures, {Binome.objects.count()} binômes, "
                f"{Rencontre.objects.count()} rencontres, {Reponse.objects.count()} réponses, "
                f"{Promotion.objects.count()} promotions"
            ),
        }

    def _pages(self, monde, filtre: str = "") -> list[Page]:
        from evaluation.services import jeton

        questionnaire = jeton(monde["invitation"])  # signed with gunicorn's key (`handle`)
        mots = [mot.strip() for mot in filtre.split(",") if mot.strip()]
        pages = [
            Page("vue nue (SELECT 1)", "/__mesure__/nue/", "anonyme"),
            Page("accueil (anonyme)", reverse("accueil"), "anonyme"),
            Page("formulaire de candidature (GET)", reverse("candidatures:candidater_mentore"), "anonyme"),
            Page("espace du binôme /espace/", reverse("binomes:espace"), "mentore"),
            Page("rencontres du binôme", reverse("suivi:rencontres"), "mentore"),
            Page("questionnaire (anonyme)", reverse("evaluation:questionnaire", args=[questionnaire]), "anonyme"),
            Page("synthèse d'une campagne", reverse("evaluation:synthese", args=[monde["campagne"].pk]), "ingenieur"),
            Page("tableau de bord /suivi/", reverse("suivi:tableau_de_bord"), "ingenieur"),
            Page("admin : candidatures", reverse("admin:candidatures_candidature_changelist"), "ingenieur"),
            Page("admin : binômes", reverse("admin:binomes_binome_changelist"), "ingenieur"),
            Page("admin : accueil (tableau du programme)", reverse("admin:index"), "ingenieur"),
        ]
        # The bare view always stays: every ratio is to it, in the same run.
        return [pages[0]] + [page for page in pages[1:] if not mots or any(mot in page.nom for mot in mots)]

    def _sessions(self, monde, cle: str) -> dict[str, str]:
        """A signed-in session per persona, as after the sign-in (and the second factor for the engineer)."""
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        cookies = {}
        with override_settings(SECRET_KEY=cle):
            for qui in ("mentore", "ingenieur"):
                utilisateur = monde[qui]
                session = SessionStore()
                session["_auth_user_id"] = str(utilisateur.pk)
                session["_auth_user_backend"] = "mentorat.authentification.ComptesEtGroupes"
                session["_auth_user_hash"] = utilisateur.get_session_auth_hash()
                if qui == "ingenieur":
                    appareil = TOTPDevice.objects.create(user=utilisateur, name="Mesure", confirmed=True)
                    session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
                    # As after a committee sign-in: ends at browser close, active now.
                    session.set_expiry(0)
                    session[CLE_ACTIVITE] = int(time.time())
                session.create()
                cookies[qui] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        return cookies

    def _compter_requetes(self, pages: list[Page], monde) -> dict[str, Client]:
        """The SQL queries of one request of each page (the second: the first fills the caches)."""
        clients = {"anonyme": Client()}
        for qui in ("mentore", "ingenieur"):
            clients[qui] = Client()
            clients[qui].force_login(monde[qui])
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        appareil = TOTPDevice.objects.create(user=monde["ingenieur"], name="Comptage", confirmed=True)
        session = clients["ingenieur"].session
        session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
        session.save()
        with override_settings(
            ROOT_URLCONF="mentorat.urls_mesure", ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False
        ):
            for page in pages:
                clients[page.qui].get(page.url)
                with CaptureQueriesContext(connection) as capture:
                    reponse = clients[page.qui].get(page.url)
                if reponse.status_code != 200:
                    raise CommandError(f"{page.nom} ({page.url}) a répondu {reponse.status_code}.")
                page.requetes = len(capture)
        return clients

    def _profiler(self, pages: list[Page], clients, fois: int) -> None:
        """Where each page's time goes: the functions that take most of it (cumulated), over `fois` requests."""
        import cProfile
        import pstats

        with override_settings(
            ROOT_URLCONF="mentorat.urls_mesure", ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, DEBUG=False
        ):
            for page in pages:
                profil = cProfile.Profile()
                debut = time.perf_counter()
                profil.enable()
                for _ in range(fois):
                    clients[page.qui].get(page.url)
                profil.disable()
                duree = (time.perf_counter() - debut) / fois
                self.stdout.write(f"\n== {page.nom} : {duree * 1000:.1f} ms par affichage, {page.requetes} requêtes")
                texte = io.StringIO()
                statistiques = pstats.Stats(profil, stream=texte)
                statistiques.sort_stats("tottime").print_stats(15)
                statistiques.sort_stats("cumulative").print_stats(
                    r"/(mentorat|candidatures|binomes|suivi|evaluation)/", 20
                )
                self.stdout.write(texte.getvalue())

    # -- under load ----------------------------------------------------------------------------------------------

    def _environnement(self, nom_base: str, cle: str, redis: str) -> dict[str, str]:
        """The environment of the project's processes (gunicorn, the Celery worker): production's settings, DEBUG off,
        on the measure's base, the cache in Redis."""
        reglages = connection.settings_dict
        hote = f"{reglages['HOST'] or '127.0.0.1'}:{reglages['PORT'] or 5432}"
        url_base = f"postgres://{reglages['USER']}@{hote}/{nom_base}"
        if reglages.get("PASSWORD"):
            url_base = url_base.replace("@", f":{reglages['PASSWORD']}@", 1)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mentorat.settings_mesure",
            "DEBUG": "false",
            "DATABASE_URL": url_base,
            "SECRET_KEY": cle,
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": "smtp://127.0.0.1:1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "CACHE_URL": redis,
            "LOG_LEVEL": "WARNING",
        }

    @contextlib.contextmanager
    def _gunicorn(self, nom_base: str, cle: str, workers: int, redis: str):
        port = _port_libre()
        environnement = {
            **self._environnement(nom_base, cle, redis),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
        }
        # Static files: the manifest storage needs collectstatic; the pages measured are HTML only.
        # Its log goes to a file (a pipe nobody reads would fill up and block the workers), printed if it fails.
        sortie = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the `finally` below
        processus = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "mentorat.wsgi:application"],
            cwd=settings.BASE_DIR,
            env=environnement,
            stdout=sortie,
            stderr=sortie,
            start_new_session=True,
        )
        adresse = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    with urllib.request.urlopen(f"{adresse}/__mesure__/nue/", timeout=5) as reponse:  # noqa: S310
                        if reponse.status == 200:
                            break
                except OSError as erreur:
                    if processus.poll() is not None:
                        sortie.seek(0)
                        journal = sortie.read().decode()[-2000:]
                        raise CommandError(f"gunicorn s'est arrêté : {journal}") from erreur
                    time.sleep(0.5)
            else:
                raise CommandError("gunicorn ne répond pas.")
            yield adresse
        finally:
            os.killpg(processus.pid, signal.SIGTERM)
            processus.wait(timeout=30)
            sortie.seek(0)
            lignes = sortie.read().decode().splitlines()
            if any("ERROR" in ligne for ligne in lignes):
                self.stderr.write("gunicorn a signalé des erreurs :\n" + "\n".join(lignes[:60]))
            sortie.close()

    def _sous_charge(self, nom_base, cle, pages, cookies, options) -> None:
        connection.close()  # gunicorn's workers are the only clients during the load
        with self._gunicorn(nom_base, cle, options["workers"], options["redis"]) as adresse:
            for page in pages:  # every page once: templates loaded, caches filled, connections open
                self._verifier(adresse, page, cookies)
            for tour in range(options["tours"]):
                self.stdout.write(f"Tour {tour + 1}/{options['tours']}…")
                for page in pages:
                    # gunicorn's backlog of the previous page drained first: each page starts on idle workers.
                    self._verifier(adresse, page, cookies)
                    commande = [WRK, "-t2", f"-c{options['connexions']}", f"-d{options['duree']}", "--latency"]
                    commande += ["--timeout", "30s"]
                    if page.qui != "anonyme":
                        commande += ["-H", f"Cookie: {cookies[page.qui]}"]
                    sortie = subprocess.run(  # noqa: S603
                        [*commande, adresse + page.url], capture_output=True, text=True, check=True
                    ).stdout
                    debit, p50, p99, erreurs = lire_wrk(sortie)
                    if erreurs or not debit:
                        raise CommandError(f"{page.nom} : {erreurs} réponses en erreur sous charge.\n{sortie}")
                    page.debits.append(debit)
                    page.p50.append(p50)
                    page.p99.append(p99)
        self._tableau(pages, options)

    def _verifier(self, adresse: str, page: Page, cookies) -> None:
        requete = urllib.request.Request(adresse + page.url)  # noqa: S310
        if page.qui != "anonyme":
            requete.add_header("Cookie", cookies[page.qui])
        try:
            with urllib.request.urlopen(requete, timeout=60) as reponse:  # noqa: S310
                if reponse.status != 200 or reponse.url != adresse + page.url:
                    raise CommandError(f"{page.nom} : {reponse.status} vers {reponse.url}")
        except urllib.error.HTTPError as erreur:
            raise CommandError(f"{page.nom} ({page.url}) a répondu {erreur.code} sous gunicorn.") from erreur

    def _tableau(self, pages: list[Page], options) -> None:
        nue = statistics.median(pages[0].debits)
        self.stdout.write(
            f"\nwrk -c{options['connexions']} -d{options['duree']}, {options['tours']} tours entrelacés, "
            f"gunicorn -w {options['workers']}, DEBUG off ; médianes des tours.\n"
        )
        self.stdout.write("| page | requêtes/s | p50 (ms) | p99 (ms) | requêtes SQL | rapport à la vue nue |")
        self.stdout.write("|---|---:|---:|---:|---:|---:|")
        for page in pages:
            debit = statistics.median(page.debits)
            self.stdout.write(
                f"| {page.nom} | {debit:.1f} | {statistics.median(page.p50):.0f} | "
                f"{statistics.median(page.p99):.0f} | {page.requetes} | {debit / nue:.3f} |"
            )

    # -- exports -------------------------------------------------------------------------------------------------

    def _exports(self, nom_base: str, monde, redis: str) -> None:
        from import_export.formats.base_formats import XLSX

        from candidatures import exports as exports_candidatures
        from candidatures.exports import CandidatureResource
        from candidatures.models import Candidature
        from evaluation import pdf as pdf_synthese
        from evaluation.pdf import synthese_pdf
        from mentorat import pdf
        from suivi import exports

        promotion, ingenieur = monde["promotion"], monde["ingenieur"]
        lignes = []
        # As in the Celery worker that produces the large ones, which imports WeasyPrint when it starts
        # (`mentorat.celery`): the PDFs' times are those of a task, not of the import (about a second).
        import weasyprint  # noqa: F401

        def mesurer(nom: str, produire) -> None:
            debut = time.perf_counter()
            contenu = produire()
            duree = time.perf_counter() - debut
            lignes.append(f"| {nom} | {duree:.2f} s | {len(contenu) // 1024} Kio |")

        def tableaux(format_: str) -> bytes:
            return exports.produire(promotion=promotion, par=ingenieur, format_=format_)

        mesurer("tableaux de suivi, CSV", lambda: tableaux("csv"))
        # Laid out in parts by several processes (`mentorat.pdf`), then, for comparison, by this one alone.
        parties = pdf.nombre_de_parties(exports.nombre_de_binomes(promotion))
        mesurer(f"tableaux de suivi, PDF ({parties} processus)", lambda: tableaux("pdf"))
        if parties > 1:
            with override_settings(PDF_PROCESSUS=1):
                mesurer("tableaux de suivi, PDF (1 processus, pour comparer)", lambda: tableaux("pdf"))

        def candidatures_xlsx() -> bytes:
            ressource = CandidatureResource()
            return XLSX().export_data(ressource.export(queryset=ressource.filter_export(Candidature.objects.all())))

        mesurer(f"candidatures, XLSX ({Candidature.objects.count()} lignes)", candidatures_xlsx)
        mesurer(
            f"synthèse d'une campagne, PDF ({monde['campagne'].reponses.count()} réponses)",
            lambda: synthese_pdf(monde["campagne"]),
        )
        lignes.append(self._par_le_worker(nom_base, monde, redis))
        self.stdout.write(f"\nExports ({exports.nombre_de_binomes(promotion)} binômes dans la promotion mesurée) :\n")
        self.stdout.write("| export | durée | taille |")
        self.stdout.write("|---|---:|---:|")
        for ligne in lignes:
            self.stdout.write(ligne)
        self.stdout.write(
            f"Produits par une tâche de fond (la page répond aussitôt, puis suit l'avancement) : les tableaux de suivi "
            f"au-delà de {exports.SEUIL_ARRIERE_PLAN} binômes, le XLSX des candidatures au-delà de "
            f"{exports_candidatures.SEUIL_ARRIERE_PLAN} lignes, la synthèse au-delà de "
            f"{pdf_synthese.SEUIL_ARRIERE_PLAN} réponses ; en deçà, dans la requête."
        )

    def _par_le_worker(self, nom_base: str, monde, redis: str) -> str:
        """The tracking tables' PDF asked as an engineer asks it, produced by a real Celery worker (prefork, two
        processes, production's settings) on Redis: the time from the request to the document ready."""
        from mentorat.celery import app
        from suivi import exports
        from suivi.models import Export, StatutExport, TypeExport
        from suivi.services import demander_export
        from suivi.tasks import produire_export

        promotion = monde["promotion"]
        file = f"mesure-{secrets.token_hex(8)}"
        environnement = {**self._environnement(nom_base, secrets.token_urlsafe(48), redis), "CELERY_BROKER_URL": redis}
        commande = [sys.executable, "-m", "celery", "-A", "mentorat", "worker", "--queues", file, "--concurrency", "2"]

        def produire(type_export: str, worker: subprocess.Popen, journal) -> tuple[float, Export]:
            # Recorded as the export's page records it (its message to this process's broker, in memory, is lost),
            # then its task sent to the worker's queue.
            debut = time.perf_counter()
            export = demander_export(
                promotion=promotion,
                par=monde["ingenieur"],
                type_export=type_export,
                filtres={"mes_binomes": False, "situation": ""},
                nombre_de_binomes=exports.nombre_de_binomes(promotion),
            )
            with app.connection_for_write(redis) as connexion:
                # `connection` goes to the producer through `**options`, which the stubs do not declare.
                produire_export.apply_async(args=(str(export.pk),), connection=connexion, queue=file)  # type: ignore[call-arg]
            while time.perf_counter() - debut < 600 and worker.poll() is None:
                export.refresh_from_db(fields=["statut", "taille"])
                if export.statut in (StatutExport.PRET, StatutExport.ECHEC):
                    break
                time.sleep(0.05)
            if export.statut != StatutExport.PRET:
                journal.seek(0)
                raise CommandError(f"Le worker n'a pas produit l'export : {journal.read().decode()[-2000:]}")
            return time.perf_counter() - debut, export

        # The broker's base emptied before the worker binds its queue, and after it stopped.
        with _redis_vide(redis), self._worker(commande, environnement) as (worker, journal):
            # This process has no broker and would run the tasks itself (`CELERY_TASK_ALWAYS_EAGER`).
            eager = app.conf.task_always_eager
            app.conf.task_always_eager = False
            try:
                produire(TypeExport.TABLEAUX_CSV, worker, journal)  # the worker started and warm, as in production
                duree, export = produire(TypeExport.TABLEAUX_PDF, worker, journal)
            finally:
                app.conf.task_always_eager = eager
        nom = "tableaux de suivi, PDF, de la demande au document prêt (worker Celery)"
        return f"| {nom} | {duree:.2f} s | {export.taille // 1024} Kio |"

    @contextlib.contextmanager
    def _worker(self, commande: list[str], environnement: dict[str, str]):
        """The Celery worker of `commande`, with its log (a file), until the block ends; then stopped as a deployment
        stops it (SIGTERM: its task ends first), killed if it has not stopped within a minute."""
        with tempfile.TemporaryFile() as journal:
            worker = None
            try:
                worker = subprocess.Popen(  # noqa: S603 - our own command
                    [*commande, "--loglevel", "WARNING"],
                    cwd=settings.BASE_DIR,
                    env=environnement,
                    stdout=journal,
                    stderr=journal,
                    start_new_session=True,
                )
                yield worker, journal
            finally:
                if worker is not None:
                    os.killpg(worker.pid, signal.SIGTERM)
                    try:
                        worker.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        os.killpg(worker.pid, signal.SIGKILL)
                        worker.wait()
