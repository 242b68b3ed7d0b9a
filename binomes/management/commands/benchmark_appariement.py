"""Time the score matrix and the optimal assignment on synthetic candidates, in memory (no database).

For each size N (2,000 and 4,000 by default), N mentees × N mentors: the time of the score matrix, of the
exclusions and of the optimal proposal, the process's peak memory (Linux), and, as a check, the total of
`linear_sum_assignment` alone on the same matrix (the former method: it must find the same optimum).
"""

import contextlib
import os
import time
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand
from scipy.optimize import linear_sum_assignment

from binomes import appariement
from candidatures.departements import departements

CORPS = np.array(["DH", "D3S", "DS"])
MODES = np.array(["presentiel", "visio", "les_deux"])
# What the committee waits for, by number of people on each side.
OBJECTIFS_S = {2000: 0.5, 4000: 2.0}
OBJECTIF_MEMOIRE_MO = {4000: 400}


def synthetiques(n: int, rng: np.random.Generator, prefixe: str) -> appariement.Candidats:
    depts = list(departements().values())
    lieux = rng.integers(0, len(depts), size=n)
    etablissements = [f"{prefixe} etablissement {k}" for k in rng.integers(0, max(n // 2, 1), size=n)]
    # One person in ten declares a stake, naming an establishment of the other side.
    enjeux = [f"etablissement {k}" if rng.random() < 0.1 else "" for k in rng.integers(0, max(n // 2, 1), size=n)]
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


def _memoire_mo(champ: str) -> float | None:
    """`VmRSS` (resident memory) or `VmHWM` (its peak) of this process, in MB; None off Linux."""
    try:
        for ligne in Path("/proc/self/status").read_text().splitlines():
            if ligne.startswith(f"{champ}:"):
                return int(ligne.split()[1]) / 1024
    except OSError:
        pass
    return None


def _remettre_le_pic_a_zero() -> None:
    """Linux resets VmHWM to the current resident memory when told so: each size gets its own peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


class Command(BaseCommand):
    help = (
        "Mesure le calcul de la matrice des scores et de l'affectation optimale sur des candidats synthétiques "
        "(par défaut 2 000 × 2 000 puis 4 000 × 4 000) : temps, pic de mémoire, contrôle de l'optimum."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tailles", type=int, nargs="+", default=[2000, 4000], help="N mentorés × N mentors")
        parser.add_argument("--graine", type=int, default=2024)
        parser.add_argument(
            "--sans-controle", action="store_true", help="ne pas recalculer l'optimum avec linear_sum_assignment seul"
        )

    def handle(self, *args, tailles: list[int], graine: int, sans_controle: bool, **options):
        for taille in tailles:
            self._mesurer(taille, graine, controle=not sans_controle)

    def _mesurer(self, n: int, graine: int, controle: bool) -> None:
        rng = np.random.default_rng(graine)
        gauche, droite = synthetiques(n, rng, "a"), synthetiques(n, rng, "b")
        contraintes = appariement.Contraintes(
            anciens_binomes={(int(i), int(j)) for i, j in rng.integers(0, n, size=(200, 2))},
            exclusions_manuelles={(int(i), int(j)): "essai" for i, j in rng.integers(0, n, (50, 2))},
        )
        _remettre_le_pic_a_zero()
        au_repos = _memoire_mo("VmRSS")
        processeur = time.process_time()
        debut = time.perf_counter()
        scores = appariement.scores(gauche, droite, settings.APPARIEMENT_POIDS)
        duree_scores = time.perf_counter() - debut
        debut = time.perf_counter()
        codes = appariement.exclusions(gauche, droite, contraintes)
        duree_exclusions = time.perf_counter() - debut
        debut = time.perf_counter()
        paires = appariement.proposer(scores, codes)
        duree_affectation = time.perf_counter() - debut
        processeur = time.process_time() - processeur
        pic = _memoire_mo("VmHWM")
        total = int(sum(int(scores[i, j]) for i, j in paires))
        duree = duree_scores + duree_exclusions + duree_affectation

        self.stdout.write(f"== {n:,} mentorés × {n:,} mentors (graine {graine})".replace(",", " "))
        self.stdout.write(f"Paires exclues : {int((codes != 0).sum()):,}".replace(",", " "))
        self.stdout.write(f"Matrice des scores : {duree_scores:.2f} s ; exclusions : {duree_exclusions:.2f} s")
        self.stdout.write(
            f"Affectation optimale : {duree_affectation:.2f} s ({len(paires)} binômes, score total {total})"
        )
        self.stdout.write(f"Total : {duree:.2f} s{self._objectif(duree, OBJECTIFS_S.get(n), 's')}")
        # On a busy machine the wall-clock time waits for the other processes; the processor time does not
        # (it counts every thread of the process, so it is at least the wall-clock time on a quiet machine).
        self.stdout.write(
            f"Temps processeur : {processeur:.2f} s (charge de la machine : {os.getloadavg()[0]:.1f} "
            f"pour {os.cpu_count()} cœurs)"
        )
        if pic is not None and au_repos is not None:
            self.stdout.write(
                f"Pic de mémoire du processus : {pic:.0f} Mo (dont {pic - au_repos:.0f} Mo pour ce calcul)"
                f"{self._objectif(pic, OBJECTIF_MEMOIRE_MO.get(n), 'Mo')}"
            )
        if controle:
            self._controler(scores, codes, total)

    def _controler(self, scores: np.ndarray, codes: np.ndarray, total: int) -> None:
        """`linear_sum_assignment` alone on the unshifted values (the former method) finds the same optimum."""
        penalite = -1.0 / (min(scores.shape) + 1)
        valeurs = np.where(codes == appariement.AUCUNE, scores.astype(np.float64), penalite)
        debut = time.perf_counter()
        rangs, colonnes = linear_sum_assignment(valeurs, maximize=True)
        duree = time.perf_counter() - debut
        permises = codes[rangs, colonnes] == appariement.AUCUNE
        reference = int(scores[rangs[permises], colonnes[permises]].sum(dtype=np.int64))
        verdict = "même total" if reference == total else f"TOTAL DIFFÉRENT ({reference})"
        self.stdout.write(f"Contrôle, linear_sum_assignment seul sur la même matrice : {duree:.2f} s, {verdict}")

    @staticmethod
    def _objectif(valeur: float, objectif: float | None, unite: str) -> str:
        if objectif is None:
            return ""
        return f" (objectif < {objectif:g} {unite} : {'atteint' if valeur < objectif else 'MANQUÉ'})"
