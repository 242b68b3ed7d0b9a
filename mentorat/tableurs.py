"""Cells of the CSV and XLSX exports, made harmless before the committee opens them in a spreadsheet."""

import re

# A cell starting with one of these is run as a formula by spreadsheet software (CSV/XLSX injection).
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XLSX cannot hold (the export would fail) and nobody types in a browser.
CARACTERES_DE_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutraliser(valeur):
    """A text typed by a user, safe in a spreadsheet: control characters dropped, a formula quoted.

    The leading apostrophe is what OWASP advises: the spreadsheet shows the text as typed and runs nothing.
    Values that are not text (numbers, dates) are returned unchanged.
    """
    if not isinstance(valeur, str):
        return valeur
    valeur = CARACTERES_DE_CONTROLE.sub("", valeur)
    return "'" + valeur if valeur.startswith(DEBUTS_DE_FORMULE) else valeur
