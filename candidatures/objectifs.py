"""A mentee's objectives: a few short general lines, theirs and then their pair's, seen by the pair only.

Stored as a JSON list of strings (`Candidature.objectifs`, `Binome.objectifs`), never shown to the committee:
objectives are general like themes, but they are the mentee's own words, which the committee does not need.
"""

from django import forms
from django.utils.translation import gettext as _

NOMBRE = 3
LONGUEUR = 80
CHAMPS = [f"objectif_{n}" for n in range(1, NOMBRE + 1)]


def aide() -> str:
    """The hint of the objectives, said where they are typed."""
    return _(
        "Trois objectifs au plus, de %(longueur)s caractères chacun, en termes généraux : aucun nom de personne ou "
        "d'établissement, aucune situation confidentielle."
    ) % {"longueur": LONGUEUR}


def normaliser(valeurs) -> list[str]:
    """The objectives typed, spaces tidied, empty lines dropped, each once, in their order."""
    resultat: list[str] = []
    for valeur in valeurs:
        texte = " ".join(str(valeur or "").split())
        if texte and texte not in resultat:
            resultat.append(texte)
    return resultat[:NOMBRE]


def champs() -> dict[str, forms.CharField]:
    """The form fields of the objectives, optional, in their order (built at each form, in its language)."""
    return {
        nom: forms.CharField(
            label=_("Objectif %(n)s") % {"n": n},
            required=False,
            max_length=LONGUEUR,
            error_messages={
                "max_length": _("Un objectif tient en %(limit_value)s caractères au plus (%(show_value)s saisis).")
            },
            widget=forms.TextInput(attrs={"maxlength": LONGUEUR}),
        )
        for n, nom in enumerate(CHAMPS, start=1)
    }


def initiales(objectifs: list[str]) -> dict[str, str]:
    """The fields' initial values from a stored list."""
    return dict(zip(CHAMPS, objectifs, strict=False))


def saisis(donnees: dict) -> list[str]:
    """The stored list from a form's cleaned data."""
    return normaliser(donnees.get(nom, "") for nom in CHAMPS)
