"""The départements of France, their region and the coordinates of their prefecture (data/departements.csv)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FICHIER = Path(__file__).resolve().parent / "data" / "departements.csv"


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    region: str
    prefecture: str
    latitude: float
    longitude: float

    @property
    def libelle(self) -> str:
        return f"{self.code} – {self.nom}"


@cache
def departements() -> dict[str, Departement]:
    """Every département by INSEE code, in the file's order."""
    with FICHIER.open(encoding="utf-8") as fichier:
        return {
            ligne["code"]: Departement(
                code=ligne["code"],
                nom=ligne["nom"],
                region=ligne["region"],
                prefecture=ligne["prefecture"],
                latitude=float(ligne["latitude"]),
                longitude=float(ligne["longitude"]),
            )
            for ligne in csv.DictReader(fichier)
        }


def choix_departements() -> list[tuple[str, str]]:
    """(code, label) pairs for a form's select."""
    return [(d.code, d.libelle) for d in departements().values()]


def region_de(code: str) -> str:
    return departements()[code].region
