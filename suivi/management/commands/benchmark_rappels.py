"""Time the daily selection of the pairs due a reminder, and the lookup of a person's pairs, on a large world.

The world is generated in a database of its own (`mentorat.mesures.base_de_mesure`: created, migrated, then
dropped), never in the application's: a promotion with N active pairs and 8 meetings per pair, held before
today and planned after, written with `generate_series`, then vacuumed and analysed as autovacuum would.
"""

import datetime
import time

from django.core.management.base import BaseCommand
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature, Role, Statut
from mentorat.mesures import base_de_mesure
from mentorat.models import Promotion, Utilisateur
from suivi import services
from suivi.models import EtatRencontre, Rappel, Rencontre

TABLES = (Utilisateur, Candidature, Binome, Rencontre)


def _inserer(model, nombre: int, valeurs: dict[str, str]) -> None:
    """INSERT … SELECT over generate_series(1, nombre) AS g; fields not in `valeurs` get their default."""
    colonnes, expressions, parametres = [], [], []
    for champ in model._meta.concrete_fields:
        if champ.primary_key and champ.name not in valeurs:
            continue
        colonnes.append(connection.ops.quote_name(champ.column))
        if champ.name in valeurs:
            expressions.append(valeurs[champ.name])
            continue
        defaut: object
        if isinstance(champ, models.DateTimeField):
            defaut = timezone.now()
        elif champ.has_default():
            defaut = champ.get_default()
        else:
            defaut = None if champ.null else ""
        expressions.append("%s")
        parametres.append(champ.get_db_prep_save(defaut, connection))
    # Our own table and column names and SQL expressions; values go as parameters.
    cible = f"{model._meta.db_table} ({', '.join(colonnes)})"
    source = f"SELECT {', '.join(expressions)} FROM generate_series(1, {int(nombre)}) AS g"  # noqa: S608
    sql = f"INSERT INTO {cible} {source}"
    with connection.cursor() as curseur:
        curseur.execute(sql, parametres)


def _base(model) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1_000_000


class Command(BaseCommand):
    help = (
        "Mesure, dans une base de mesure créée puis supprimée, la sélection quotidienne des binômes à relancer "
        "et la recherche des binômes d'une personne sur un grand volume généré."
    )

    def add_arguments(self, parser):
        parser.add_argument("--binomes", type=int, default=100_000)
        parser.add_argument("--rencontres-par-binome", type=int, default=8)
        parser.add_argument("--recherches", type=int, default=1000, help="personnes dont on cherche les binômes")
        parser.add_argument("--plans", action="store_true", help="affiche les plans d'exécution (EXPLAIN ANALYZE)")

    def handle(self, *args, binomes: int, rencontres_par_binome: int, recherches: int, plans: bool, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("Cette mesure demande PostgreSQL (DATABASE_URL).")
            return
        with base_de_mesure() as nom:
            self.stdout.write(f"Base de mesure : {nom} (créée et migrée pour cette mesure).")
            aujourd_hui = timezone.localdate()
            self._generer(binomes, rencontres_par_binome, aujourd_hui)
            self._selection(aujourd_hui, plans)
            self._recherche(recherches, plans)
        self.stdout.write(f"Base de mesure {nom} supprimée : la base de l'application n'a été ni lue ni modifiée.")

    def _generer(self, n: int, par_binome: int, aujourd_hui: datetime.date) -> None:
        debut = time.perf_counter()
        lancement = aujourd_hui - datetime.timedelta(days=300)
        promotion = Promotion.objects.create(
            nom="bench",
            date_premier_poste=lancement - datetime.timedelta(days=100),
            ouverture_candidatures=timezone.now() - datetime.timedelta(days=500),
            cloture_candidatures=timezone.now() - datetime.timedelta(days=400),
            journee_lancement=lancement,
            lieu_lancement="Paris",
            evenement_mi_parcours=lancement + datetime.timedelta(days=180),
            journee_bilan=lancement + datetime.timedelta(days=340),
            fin=lancement + datetime.timedelta(days=365),
            email_contact="bench@exemple.fr",
        )
        u, c, b = _base(Utilisateur), _base(Candidature), _base(Binome)
        _inserer(
            Utilisateur,
            2 * n + 1,
            {"id": f"{u} + g", "email": "'bench-' || g || '@exemple.fr'", "prenom": "'P'", "nom": "'N' || g"},
        )
        referent = u + 2 * n + 1
        _inserer(
            Candidature,
            2 * n,
            {
                "id": f"{c} + g",
                "promotion": str(promotion.pk),
                "utilisateur": f"{u} + g",
                "role": f"CASE WHEN g <= {n} THEN '{Role.MENTOR}' ELSE '{Role.MENTORE}' END",
                "corps": "'DH'",
                "departement": "'33'",
                "statut": f"'{Statut.RETENUE}'",
            },
        )
        _inserer(
            Binome,
            n,
            {
                "id": f"{b} + g",
                "promotion": str(promotion.pk),
                "mentor": f"{c} + g",
                "mentore": f"{c} + {n} + g",
                "referent": str(referent),
                "decide_par": str(referent),
                "statut": f"'{StatutBinome.ACTIF}'",
            },
        )
        # Meeting k of pair g: every 35 days, shifted by g % 60, so that a share of the pairs is due today.
        g, k = f"((g - 1) / {par_binome} + 1)", f"mod(g - 1, {par_binome})"
        date = f"DATE '{lancement.isoformat()}' + ({k} * 35 + mod({g}, 60))"
        _inserer(
            Rencontre,
            n * par_binome,
            {
                "binome": f"{b} + {g}",
                "date": date,
                "mode": "'visio'",
                "etat": (
                    f"CASE WHEN {date} <= DATE '{aujourd_hui.isoformat()}'"
                    f" THEN '{EtatRencontre.TENUE}' ELSE '{EtatRencontre.PREVUE}' END"
                ),
            },
        )
        with connection.cursor() as curseur:
            for model in TABLES:
                curseur.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        self.stdout.write(
            f"Généré : {Binome.objects.actifs().count():,} binômes actifs, {Rencontre.objects.count():,} rencontres "
            f"en {time.perf_counter() - debut:.1f} s (puis VACUUM ANALYZE)."
        )

    def _selection(self, aujourd_hui: datetime.date, plans: bool) -> None:
        selection = services.binomes_a_relancer(aujourd_hui)
        if plans:
            self.stdout.write(selection.explain(analyze=True))
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            dus = list(selection)
            duree = time.perf_counter() - debut
        objectif = "atteint" if duree < 10 else "MANQUÉ"
        self.stdout.write(
            f"Sélection des binômes silencieux depuis six semaines (services.binomes_a_relancer) : {len(dus):,} "
            f"binômes, {duree:.2f} s, {len(requetes)} requête(s) (objectif < 10 s : {objectif})."
        )
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            a_envoyer = services.creer_rappels_dus(aujourd_hui=aujourd_hui)
            duree = time.perf_counter() - debut
        self.stdout.write(
            f"Création des rappels du jour (services.creer_rappels_dus : sélection, insertion, identifiants) : "
            f"{Rappel.objects.count():,} rappels, {len(a_envoyer):,} à envoyer, {duree:.2f} s, "
            f"{len(requetes)} requête(s)."
        )

    def _recherche(self, nombre: int, plans: bool) -> None:
        """The lookup each page of a pair's member starts with, for members spread over the table."""
        membres = list(Utilisateur.objects.filter(candidatures__isnull=False).order_by("?")[:nombre])
        if not membres:
            return
        if plans:
            self.stdout.write(Binome.objects.de_l_utilisateur(membres[0]).explain(analyze=True))
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            trouves = sum(len(Binome.objects.de_l_utilisateur(membre)) for membre in membres)
            duree = time.perf_counter() - debut
        self.stdout.write(
            f"Binômes d'une personne (Binome.objects.de_l_utilisateur) : {len(membres):,} personnes, "
            f"{trouves:,} binômes trouvés, {duree / len(membres) * 1000:.2f} ms par personne, "
            f"{len(requetes) / len(membres):g} requête(s) chacune."
        )
