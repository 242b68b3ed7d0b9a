"""The committee's pictures, drawn on the server as SVG: bars, columns, a curve, maps of France, score bars.

Pure functions of plain figures, no query. Every picture is decorative for screen readers (`aria-hidden`):
the page puts the same figures in a table beside it (RGAA 1.3, 1.4). Colours are the DSFR's.
"""

from collections.abc import Mapping
from typing import Protocol

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BLEU = "#000091"
TEXTE, GRIS, GRILLE = "#161616", "#3a3a3a", "#dddddd"
# Choropleth classes, light to dark (DSFR blue-France tints), and the hatch of a hidden cell.
NUANCES = ["#f5f5fe", "#cacafb", "#8585f6", "#313178", "#000091"]
MASQUE = "#929292"
COULEURS_SCORE = {"themes": "#000091", "corps": "#6a6af4", "distance": "#009081", "modes": "#c3992a"}


class FondDeCarte(Protocol):
    """SVG outlines of the départements (`candidatures.departements.Carte` is one)."""

    @property
    def viewbox(self) -> str: ...

    @property
    def chemins(self) -> dict[str, str]: ...

    @property
    def proportions(self) -> float: ...


def _svg(largeur: int, hauteur: int, contenu: SafeString, classe: str = "") -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" aria-hidden="true" '
        'focusable="false" class="{}">{}</svg>',
        largeur,
        hauteur,
        largeur,
        hauteur,
        classe,
        contenu,
    )


def barres(
    series: list[tuple[str, int, str]], largeur: int = 560, marge: int = 210, maximum: int | None = None
) -> SafeString:
    """Horizontal bars: (label, value, text written after the bar), on a scale to `maximum` (the largest value)."""
    hauteur_barre, pas = 20, 28
    maximum = maximum or max((valeur for _l, valeur, _t in series), default=0) or 1
    utile = largeur - marge - 90
    contenu = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="13" text-anchor="end" fill="' + TEXTE + '">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="' + BLEU + '"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="' + TEXTE + '">{}</text>',
        (
            (marge - 8, rang * pas + 15, libelle, marge, rang * pas, round(utile * valeur / maximum), hauteur_barre,
             marge + round(utile * valeur / maximum) + 6, rang * pas + 15, texte)
            for rang, (libelle, valeur, texte) in enumerate(series)
        ),
    )  # fmt: skip
    return _svg(largeur, max(len(series) * pas, pas), contenu, "comite-graphique")


def colonnes(series: list[tuple[str, float]], *, pourcentages: bool = False, largeur: int = 560) -> SafeString:
    """Vertical columns with their value above and their label below (months, for instance)."""
    hauteur, bas, haut = 220, 40, 20
    maximum = 100.0 if pourcentages else float(max((v for _l, v in series), default=0) or 1)
    pas = (largeur - 20) / max(len(series), 1)
    epaisseur = max(min(pas * 0.7, 48), 4)
    utile = hauteur - bas - haut
    elements = []
    for rang, (libelle, valeur) in enumerate(series):
        h = round(utile * valeur / maximum)
        x = 10 + rang * pas + (pas - epaisseur) / 2
        texte = f"{round(valeur)} %" if pourcentages else str(round(valeur))
        elements.append(
            (round(x), hauteur - bas - h, round(epaisseur), h, round(x + epaisseur / 2), hauteur - bas - h - 4, texte,
             round(x + epaisseur / 2), hauteur - bas + 16, libelle)
        )  # fmt: skip
    contenu = format_html(
        '<line x1="0" y1="{}" x2="{}" y2="{}" stroke="' + GRIS + '"></line>{}',
        hauteur - bas,
        largeur,
        hauteur - bas,
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" fill="' + BLEU + '"></rect>'
            '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="' + TEXTE + '">{}</text>'
            '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="' + GRIS + '">{}</text>',
            elements,
        ),
    )
    return _svg(largeur, hauteur, contenu, "comite-graphique")


def barre_score(points: dict[str, int], total: int = 100, largeur: int = 160) -> SafeString:
    """A score as one bar split by criterion (themes, corps, distance, modes), on a 0–`total` scale."""
    x, morceaux = 0.0, []
    for critere, couleur in COULEURS_SCORE.items():
        w = largeur * points.get(critere, 0) / total
        if w > 0:
            morceaux.append((round(x, 1), round(w, 1), couleur))
        x += w
    contenu = format_html(
        '<rect x="0" y="0" width="{}" height="14" fill="#eeeeee"></rect>{}',
        largeur,
        format_html_join("", '<rect x="{}" y="0" width="{}" height="14" fill="{}"></rect>', morceaux),
    )
    return _svg(largeur, 14, contenu, "comite-barre-score")


def classe(valeur: int | None, seuils: list[int]) -> str:
    """The fill of a département: hidden (under the threshold), none, or one of the tints by `seuils`."""
    if valeur is None:
        return MASQUE
    rang = sum(valeur >= s for s in seuils)
    return NUANCES[min(rang, len(NUANCES) - 1)]


def carte(fond: "FondDeCarte", valeurs: Mapping[str, int | None], seuils: list[int], largeur: int = 420) -> SafeString:
    """France by département, each filled by its value's class; `None` marks a hidden (too small) value."""
    chemins = format_html_join(
        "",
        '<path d="{}" fill="{}" stroke="#ffffff" stroke-width="0.8"></path>',
        ((chemin, classe(valeurs.get(code, 0), seuils)) for code, chemin in fond.chemins.items()),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="{}" aria-hidden="true" '
        'focusable="false" class="comite-carte">{}</svg>',
        largeur,
        round(largeur * fond.proportions),
        fond.viewbox,
        chemins,
    )


SYMBOLE_FRANCE = "comite-fond-france"


def symbole_carte(fond: "FondDeCarte") -> SafeString:
    """France's outlines once in the page, as a symbol that each small map of a pair reuses (`carte_binome`)."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" class="comite-symboles" aria-hidden="true" '
        'focusable="false"><symbol id="{}" viewBox="{}">{}</symbol></svg>',
        SYMBOLE_FRANCE,
        fond.viewbox,
        format_html_join(
            "",
            '<path d="{}" fill="#e5e5e5" stroke="#ffffff" stroke-width="1"></path>',
            ((c,) for c in fond.chemins.values()),
        ),
    )


def carte_binome(
    fond: "FondDeCarte", a: tuple[float, float] | None, b: tuple[float, float] | None, largeur: int = 72
) -> SafeString:
    """A small France (the page's `symbole_carte`) with the mentee's place in red, the mentor's in blue."""
    _x, _y, w, h = (float(v) for v in fond.viewbox.split())
    trait = SafeString("")
    if a and b:
        trait = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="' + BLEU + '" stroke-width="6"></line>',
            round(a[0]), round(a[1]), round(b[0]), round(b[1]),
        )  # fmt: skip
    points = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="18" fill="{}" stroke="#ffffff" stroke-width="4"></circle>',
        ((round(p[0]), round(p[1]), couleur) for p, couleur in ((a, "#e1000f"), (b, BLEU)) if p),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="{}" aria-hidden="true" '
        'focusable="false" class="comite-carte-binome">'
        '<use href="#{}" x="0" y="0" width="{}" height="{}"></use>{}{}</svg>',
        largeur,
        round(largeur * fond.proportions),
        fond.viewbox,
        SYMBOLE_FRANCE,
        round(w),
        round(h),
        trait,
        points,
    )
