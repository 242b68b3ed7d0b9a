"""Fails when the virtualenv or pyproject.toml has drifted from a lock file (requirements/*.txt).

Usage: python scripts/verifier_dependances.py requirements/test.txt [extra]

- every dependency that pyproject.toml declares (and those of `extra`) is pinned in the lock, at a version
  the declaration accepts: a dependency added or widened without `make lock` is caught here;
- the running interpreter's environment holds exactly the lock's pins, nothing missing, nothing else
  (pip, setuptools and wheel apart): a package installed or upgraded by hand is caught here.
"""

import sys
import sysconfig
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

RACINE = Path(__file__).resolve().parent.parent
OUTILS_DU_VIRTUALENV = {"pip", "setuptools", "wheel"}


def epingles(verrou: Path) -> dict[str, str]:
    """name → version of the lock's pins that apply to this interpreter (markers evaluated)."""
    resultat: dict[str, str] = {}
    for ligne in verrou.read_text().splitlines():
        if not ligne or ligne[0] in " #-":
            continue  # hashes, comments and options
        exigence = Requirement(ligne.rstrip(" \\"))
        if exigence.marker is None or exigence.marker.evaluate():
            (version,) = (s.version for s in exigence.specifier)
            resultat[canonicalize_name(exigence.name)] = version
    return resultat


def declarees(pyproject: Path, extra: str | None) -> list[Requirement]:
    projet = tomllib.loads(pyproject.read_text())["project"]
    textes = list(projet["dependencies"])
    if extra:
        textes += projet["optional-dependencies"][extra]
    exigences = [Requirement(texte) for texte in textes]
    return [e for e in exigences if e.marker is None or e.marker.evaluate()]


def ecarts(verrou: Path, extra: str | None, installees: dict[str, str], pyproject: Path) -> list[str]:
    """What differs between the declarations, the lock and the installed packages, in French; empty if nothing."""
    pins = epingles(verrou)
    problemes = []
    for exigence in declarees(pyproject, extra):
        nom: str = canonicalize_name(exigence.name)
        if nom not in pins:
            problemes.append(f"{exigence.name} est déclaré dans pyproject.toml mais absent de {verrou.name}.")
        elif not exigence.specifier.contains(pins[nom], prereleases=True):
            problemes.append(f"{verrou.name} fixe {nom}=={pins[nom]}, hors de « {exigence} » (pyproject.toml).")
    for nom, version in sorted(pins.items()):
        if nom not in installees:
            problemes.append(f"{nom}=={version} est dans {verrou.name} mais n'est pas installé.")
        elif installees[nom] != version:
            problemes.append(f"{nom} est installé en {installees[nom]}, {verrou.name} fixe {version}.")
    for nom in sorted(set(installees) - set(pins) - OUTILS_DU_VIRTUALENV):
        problemes.append(f"{nom}=={installees[nom]} est installé mais absent de {verrou.name}.")
    return problemes


def installees() -> dict[str, str]:
    """The packages of this interpreter's site-packages (not an egg-info lying in the working directory)."""
    chemins = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions(path=chemins)}


def main(arguments: list[str]) -> int:
    verrou = Path(arguments[0])
    extra = arguments[1] if len(arguments) > 1 else None
    problemes = ecarts(verrou, extra, installees(), RACINE / "pyproject.toml")
    for probleme in problemes:
        print(f"  {probleme}", file=sys.stderr)
    if problemes:
        print(
            "Les dépendances ne correspondent pas au fichier de verrouillage : après un changement de "
            "pyproject.toml, lancez `make lock` ; sinon supprimez .venv et relancez `make test`.",
            file=sys.stderr,
        )
        return 1
    print(f"Dépendances conformes à {verrou} ({len(epingles(verrou))} paquets).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
