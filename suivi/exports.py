"""The rows of the CSV export of a promotion's tracking tables: dates, states, modes and themes only."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from mentorat.tableurs import neutraliser

from .tableau import Ligne, Tableau


def cellule(valeur) -> str:
    # The free "other theme" label is typed by the pairs: it must not run as a formula.
    return neutraliser(str(valeur))


def etat(ligne: Ligne) -> str:
    return _("À confirmer") if ligne.a_confirmer else ligne.rencontre.get_etat_display()


def themes(ligne: Ligne) -> str:
    rencontre = ligne.rencontre
    noms = [theme.nom for theme in rencontre.themes.all()]
    return ", ".join(noms + ([rencontre.autre_theme] if rencontre.autre_theme else []))


def entete() -> list[str]:
    colonnes = [_("Binôme"), _("Mentoré·e"), _("Mentor"), _("Situation")]
    colonnes += [_("Date"), _("État"), _("Modalité"), _("Thématiques")]
    return [*colonnes, _("Écart (jours)")]


def lignes_csv(tableaux: list[Tableau]) -> Iterator[list[str]]:
    """One row per meeting; a pair without any meeting still gets one row, with its cells left empty.

    The situation tells a stopped pair from a finished one, a stop asked from a pair on track."""
    for tableau in tableaux:
        binome = tableau.binome
        personnes = [binome.pk, binome.mentore.utilisateur, binome.mentor.utilisateur, tableau.vigilance.label]
        if not tableau.lignes:
            yield [cellule(v) for v in personnes] + [""] * 5
        for ligne in tableau.lignes:
            r = ligne.rencontre
            ecart = "" if ligne.ecart is None else ligne.ecart
            valeurs = [r.date.isoformat(), etat(ligne), r.get_mode_display(), themes(ligne), ecart]
            yield [cellule(v) for v in personnes + valeurs]
