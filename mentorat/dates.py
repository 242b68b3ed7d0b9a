"""Dates written as French writes them: the first of the month is "1er" ("1er décembre", not "1 décembre")."""

import datetime
import re

from django.utils import formats

# The day-of-month character `j` of a Django date format, when not escaped by a backslash.
JOUR = re.compile(r"(?<!\\)j")


def date_fr(valeur: datetime.date, format: str = "j F Y") -> str:
    """`valeur` formatted like the `date` template filter with `format`, the first of the month as "1er"."""
    if valeur.day == 1:
        format = JOUR.sub(r"j\\e\\r", format, count=1)
    return formats.date_format(valeur, format)


# The abbreviations French typography uses (Imprimerie nationale): Django's three-letter `M` writes "Jui"
# for both June and July.
MOIS_ABREGES = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def mois_abrege(valeur: datetime.date) -> str:
    """The month of `valeur` abbreviated as in French: "juin", "juil.", "sept."."""
    return MOIS_ABREGES[valeur.month - 1]
