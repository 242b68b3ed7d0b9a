"""Server-drawn SVG charts: horizontal bars, one per answer value.

The SVG is decorative for screen readers (`aria-hidden`): each chart is paired
with a table giving the same figures.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# The right margin holds the widest annotation, "1600 (100 %)", in the PDF's wider font too.
LARGEUR, HAUTEUR_BARRE, MARGE_LIBELLE, MARGE_DROITE = 520, 22, 150, 110
BLEU = "#000091"


def barres(libelles: list[str], valeurs: list[int]) -> SafeString:
    """An SVG bar chart of `valeurs` (counts), labelled, each bar annotated with its count and share."""
    total = sum(valeurs) or 1
    maximum = max(valeurs, default=0) or 1
    utile = LARGEUR - MARGE_LIBELLE - MARGE_DROITE
    lignes = []
    for rang, (libelle, valeur) in enumerate(zip(libelles, valeurs, strict=True)):
        y = rang * (HAUTEUR_BARRE + 6)
        largeur = round(utile * valeur / maximum)
        pourcentage = round(100 * valeur / total)
        lignes.append((libelle, y, largeur, valeur, pourcentage))
    hauteur = len(lignes) * (HAUTEUR_BARRE + 6)
    contenu = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#161616">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="' + BLEU + '"></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#161616">{} ({} %)</text>',
        (
            (
                MARGE_LIBELLE - 8, y + 15, libelle,
                MARGE_LIBELLE, y, largeur, HAUTEUR_BARRE,
                MARGE_LIBELLE + largeur + 6, y + 15, valeur, pourcentage,
            )
            for libelle, y, largeur, valeur, pourcentage in lignes
        ),
    )  # fmt: skip
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
        'aria-hidden="true" focusable="false" class="evaluation-graphique">{}</svg>',
        LARGEUR,
        hauteur,
        LARGEUR,
        hauteur,
        contenu,
    )
