"""The rows of the CSV export of a promotion's tracking tables: dates, states, modes and themes only."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from .tableau import Ligne, Tableau

# A cell starting with one of these is run as a formula by spreadsheet software (CSV injection):
# the free "other theme" label is typed by the pairs, so such cells are prefixed with a quote.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def cellule(valeur) -> str:
    texte = str(valeur)
    return f"'{texte}" if texte.startswith(DEBUTS_DE_FORMULE) else texte


def etat(ligne: Ligne) -> str:
    return _("À confirmer") if ligne.a_confirmer else ligne.rencontre.get_etat_display()


def themes(ligne: Ligne) -> str:
    rencontre = ligne.rencontre
    noms = [theme.nom for theme in rencontre.themes.all()]
    return ", ".join(noms + ([rencontre.autre_theme] if rencontre.autre_theme else []))


def entete() -> list[str]:
    colonnes = [_("Binôme"), _("Mentoré·e"), _("Mentor"), _("Date"), _("État"), _("Modalité"), _("Thématiques")]
    return [*colonnes, _("Écart (jours)")]


def lignes_csv(tableaux: list[Tableau]) -> Iterator[list[str]]:
    """One row per meeting; a pair without any meeting still gets one row, with its cells left empty."""
    for tableau in tableaux:
        binome = tableau.binome
        personnes = [binome.pk, binome.mentore.utilisateur, binome.mentor.utilisateur]
        if not tableau.lignes:
            yield [cellule(v) for v in personnes] + [""] * 5
        for ligne in tableau.lignes:
            r = ligne.rencontre
            ecart = "" if ligne.ecart is None else ligne.ecart
            valeurs = [r.date.isoformat(), etat(ligne), r.get_mode_display(), themes(ligne), ecart]
            yield [cellule(v) for v in personnes + valeurs]
