"""Which groups of a breakdown may be shown: a pure rule over response counts.

A group with fewer than `seuil` responses is hidden (merged). When groups are
hidden, their merged total must itself reach `seuil` and gather at least two
non-empty groups, otherwise a hidden group could be recovered by subtracting the
visible ones from the total: the smallest visible groups are hidden with it
until both conditions hold (or every group is hidden).
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Ventilation:
    visibles: list[str]
    masques: list[str]


def _protege(effectifs: Mapping[str, int], masques: set[str], seuil: int) -> bool:
    non_vides = [g for g in masques if effectifs[g] > 0]
    if not non_vides:
        return True
    return len(non_vides) >= 2 and sum(effectifs[g] for g in non_vides) >= seuil


def ventiler(effectifs: Mapping[str, int], seuil: int) -> Ventilation:
    """Split the groups of `effectifs` (group → number of responses) into shown and merged ones."""
    masques = {groupe for groupe, n in effectifs.items() if n < seuil}
    visibles = sorted((g for g in effectifs if g not in masques), key=lambda g: (effectifs[g], g))
    while visibles and not _protege(effectifs, masques, seuil):
        masques.add(visibles.pop(0))
    ordre = list(effectifs)
    return Ventilation(visibles=[g for g in ordre if g not in masques], masques=[g for g in ordre if g in masques])
