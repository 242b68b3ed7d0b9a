"""Time the score matrix and the optimal assignment on synthetic candidates, in memory (no database)."""

import time

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand

from binomes import appariement
from candidatures.departements import departements

CORPS = np.array(["DH", "D3S", "DS"])
MODES = np.array(["presentiel", "visio", "les_deux"])


def synthetiques(n: int, rng: np.random.Generator, prefixe: str) -> appariement.Candidats:
    depts = list(departements().values())
    lieux = rng.integers(0, len(depts), size=n)
    etablissements = [f"{prefixe} etablissement {k}" for k in rng.integers(0, n // 2, size=n)]
    # One person in ten declares a stake, naming an establishment of the other side.
    enjeux = [f"etablissement {k}" if rng.random() < 0.1 else "" for k in rng.integers(0, n // 2, size=n)]
    return appariement.Candidats(
        ids=np.arange(n, dtype=np.int64),
        themes=rng.random((n, 12)) < 0.3,
        corps=CORPS[rng.integers(0, 3, size=n)],
        latitudes=np.array([depts[k].latitude for k in lieux]),
        longitudes=np.array([depts[k].longitude for k in lieux]),
        modes=MODES[rng.integers(0, 3, size=n)],
        etablissements=etablissements,
        ghts=[f"ght {k}" for k in rng.integers(0, 130, size=n)],
        noms=[f"{prefixe} personne {k}" for k in range(n)],
        enjeux=enjeux,
    )


class Command(BaseCommand):
    help = "Mesure le calcul de la matrice des scores et de l'affectation optimale (par défaut 2 000 × 2 000)."

    def add_arguments(self, parser):
        parser.add_argument("--mentores", type=int, default=2000)
        parser.add_argument("--mentors", type=int, default=2000)
        parser.add_argument("--graine", type=int, default=2024)

    def handle(self, *args, mentores: int, mentors: int, graine: int, **options):
        rng = np.random.default_rng(graine)
        gauche, droite = synthetiques(mentores, rng, "a"), synthetiques(mentors, rng, "b")
        contraintes = appariement.Contraintes(
            anciens_binomes={(int(i), int(j)) for i, j in rng.integers(0, min(mentores, mentors), size=(200, 2))},
            exclusions_manuelles={
                (int(i), int(j)): "essai" for i, j in rng.integers(0, min(mentores, mentors), (50, 2))
            },
        )
        debut = time.perf_counter()
        scores = appariement.scores(gauche, droite, settings.APPARIEMENT_POIDS)
        codes = appariement.exclusions(gauche, droite, contraintes)
        matrice = time.perf_counter() - debut
        debut = time.perf_counter()
        paires = appariement.proposer(scores, codes)
        affectation = time.perf_counter() - debut
        total = sum(int(scores[i, j]) for i, j in paires)
        self.stdout.write(f"Candidats : {mentores} mentorés × {mentors} mentors")
        self.stdout.write(f"Paires exclues : {int((codes != 0).sum())}")
        self.stdout.write(f"Matrice des scores et des exclusions : {matrice:.2f} s")
        self.stdout.write(f"Affectation optimale : {affectation:.2f} s ({len(paires)} binômes, score total {total})")
        self.stdout.write(f"Total : {matrice + affectation:.2f} s")
