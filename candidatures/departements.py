"""The départements of France, their region and the coordinates of their prefecture (data/departements.csv)."""

import csv
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RAYON_TERRE_KM = 6371.0
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


CARTE = Path(__file__).resolve().parent / "data" / "carte-departements.json"


@dataclass(frozen=True)
class Carte:
    """The outlines of metropolitan France's 96 départements, as SVG paths in one `viewbox`."""

    viewbox: str
    chemins: dict[str, str]
    projection: dict[str, list[float]]

    @property
    def proportions(self) -> float:
        """Height over width."""
        _x, _y, largeur, hauteur = (float(v) for v in self.viewbox.split())
        return hauteur / largeur

    def position(self, code: str) -> tuple[float, float] | None:
        """Where the département's prefecture falls on the map; None for a département not drawn (overseas)."""
        departement = departements().get(code)
        if departement is None or code not in self.chemins:
            return None
        px, py = self.projection["x"], self.projection["y"]
        lon, lat = departement.longitude, departement.latitude
        return px[0] * lon + px[1] * lat + px[2], py[0] * lon + py[1] * lat + py[2]


@cache
def carte() -> Carte:
    with CARTE.open(encoding="utf-8") as fichier:
        donnees = json.load(fichier)
    return Carte(viewbox=donnees["viewBox"], chemins=donnees["chemins"], projection=donnees["projection"])


def distance_km(code_a: str, code_b: str) -> int | None:
    """Great-circle distance between two départements' prefectures, in km (None for an unknown code)."""
    a, b = departements().get(code_a), departements().get(code_b)
    if a is None or b is None:
        return None
    lat1, lon1, lat2, lon2 = (math.radians(v) for v in (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return round(2 * RAYON_TERRE_KM * math.asin(math.sqrt(min(h, 1.0))))
