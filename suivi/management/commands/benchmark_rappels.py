"""Time the daily selection of the pairs due a reminder over a large, generated world.

Generates (with `generate_series`, in one transaction rolled back at the end)
a promotion with N active pairs and 8 meetings per pair, then times the
selection of due pairs and the creation of their reminders, and counts queries.
"""

import datetime
import time

from django.core.management.base import BaseCommand
from django.db import connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature, Role, Statut
from mentorat.models import Promotion, Utilisateur
from suivi import services
from suivi.models import EtatRencontre, Rappel, Rencontre


class Annulation(Exception):
    """Raised to roll the generated world back."""


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
    help = "Mesure la sélection quotidienne des binômes à relancer sur un grand volume généré (puis annulé)."

    def add_arguments(self, parser):
        parser.add_argument("--binomes", type=int, default=100_000)
        parser.add_argument("--rencontres-par-binome", type=int, default=8)

    def handle(self, *args, binomes: int, rencontres_par_binome: int, **options):
        try:
            with transaction.atomic():
                self._mesurer(binomes, rencontres_par_binome)
                raise Annulation
        except Annulation:
            self.stdout.write("Données générées annulées (transaction défaite).")

    def _generer(self, n: int, par_binome: int, aujourd_hui: datetime.date) -> Promotion:
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
            for model in (Utilisateur, Candidature, Binome, Rencontre):
                curseur.execute(f"ANALYZE {model._meta.db_table}")
        return promotion

    def _mesurer(self, n: int, par_binome: int) -> None:
        aujourd_hui = timezone.localdate()
        debut = time.perf_counter()
        self._generer(n, par_binome, aujourd_hui)
        generation = time.perf_counter() - debut
        self.stdout.write(
            f"Généré : {Binome.objects.actifs().count():,} binômes actifs, {Rencontre.objects.count():,} rencontres "
            f"en {generation:.1f} s."
        )
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            dus = list(services.binomes_a_relancer(aujourd_hui))
            selection = time.perf_counter() - debut
        self.stdout.write(
            f"Sélection des binômes à relancer : {len(dus):,} binômes, {selection:.2f} s, {len(requetes)} requête(s)."
        )
        with CaptureQueriesContext(connection) as requetes:
            debut = time.perf_counter()
            a_envoyer = services.creer_rappels_dus(aujourd_hui=aujourd_hui)
            creation = time.perf_counter() - debut
        self.stdout.write(
            f"Création des rappels (sélection, insertion, identifiants) : {Rappel.objects.count():,} rappels, "
            f"{len(a_envoyer):,} à envoyer, {creation:.2f} s, {len(requetes)} requête(s)."
        )
        objectif = "atteint" if selection < 10 else "MANQUÉ"
        self.stdout.write(f"Objectif < 10 s pour la sélection : {objectif}.")
