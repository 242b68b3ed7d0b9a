"""The timeline picture of one pair: an SVG drawn on the server.

The programme year runs left to right; collective events are vertical ticks,
held meetings filled dots, planned ones hollow dots, and every stretch longer
than the limit (between meetings, or since the last one until today) a red segment.
"""

import datetime
import functools
import itertools
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LARGEUR, HAUTEUR, MARGE, AXE = 320, 36, 8, 20
ROUGE, BLEU, GRIS = "#ce0500", "#000091", "#666666"


@dataclass(frozen=True)
class Point:
    date: datetime.date
    tenue: bool


def _x(jour: datetime.date, debut: datetime.date, fin: datetime.date) -> float:
    duree = max((fin - debut).days, 1)
    jours = min(max((jour - debut).days, 0), duree)
    return round(MARGE + (LARGEUR - 2 * MARGE) * jours / duree, 1)


def segments_depasses(
    debut: datetime.date, tenues: list[datetime.date], jusqu_au: datetime.date, ecart_max: datetime.timedelta
) -> list[tuple[datetime.date, datetime.date]]:
    """The stretches without a held meeting longer than `ecart_max`, from the launch day to `jusqu_au`."""
    bornes = [debut, *sorted(tenues), jusqu_au]
    return [(a, b) for a, b in itertools.pairwise(bornes) if b - a > ecart_max]


@functools.lru_cache(maxsize=64)
def _evenements(debut: datetime.date, fin: datetime.date, evenements: tuple[tuple[datetime.date, str], ...]) -> str:
    """The ticks of a promotion's collective events: the same for every pair of a page, drawn once. The key is the
    programme's dates and the events' labels (in the reader's language): nothing of a pair or a person."""
    return "".join(
        f'<line x1="{_x(jour, debut, fin)}" y1="6" x2="{_x(jour, debut, fin)}" y2="{HAUTEUR - 4}" stroke="{GRIS}" '
        f'stroke-dasharray="2 2"><title>{escape(libelle)}</title></line>'
        for jour, libelle in evenements
    )


def dessiner(
    *,
    debut: datetime.date,
    fin: datetime.date,
    evenements: list[tuple[datetime.date, str]],
    points: list[Point],
    aujourd_hui: datetime.date,
    ecart_max: datetime.timedelta,
    arret: datetime.date | None = None,
    alarme: bool = True,
) -> str:
    """The SVG markup (with a title and a text description for assistive technologies).

    For a stopped pair (`arret`), the silence stops being counted on the day it stopped; a closed pair
    (`alarme=False`: stopped or finished) gets no red segment, nothing is expected of it any more.
    """
    tenues = [p.date for p in points if p.tenue]
    jusqu_au = min(max(aujourd_hui, debut), fin, arret or fin)
    rouges = segments_depasses(debut, tenues, jusqu_au, ecart_max) if alarme else []
    x = lambda jour: _x(jour, debut, fin)  # noqa: E731 - local shorthand
    elements = [f'<line x1="{MARGE}" y1="{AXE}" x2="{LARGEUR - MARGE}" y2="{AXE}" stroke="{GRIS}" stroke-width="2"/>']
    for a, b in rouges:
        elements.append(f'<line x1="{x(a)}" y1="{AXE}" x2="{x(b)}" y2="{AXE}" stroke="{ROUGE}" stroke-width="4"/>')
    elements.append(_evenements(debut, fin, tuple(evenements)))
    for point in points:
        remplissage = BLEU if point.tenue else "#ffffff"
        elements.append(
            f'<circle cx="{x(point.date)}" cy="{AXE}" r="4" fill="{remplissage}" stroke="{BLEU}" stroke-width="1.5"/>'
        )
    if debut <= aujourd_hui <= fin:
        elements.append(f'<line x1="{x(aujourd_hui)}" y1="8" x2="{x(aujourd_hui)}" y2="{AXE + 8}" stroke="#000"/>')
    prevues = len(points) - len(tenues)
    description = " ".join(
        [
            ngettext("%(n)d rencontre tenue,", "%(n)d rencontres tenues,", len(tenues)) % {"n": len(tenues)},
            ngettext("%(n)d prévue,", "%(n)d prévues,", prevues) % {"n": prevues},
            ngettext(
                "%(n)d période de plus de %(semaines)d semaines sans rencontre.",
                "%(n)d périodes de plus de %(semaines)d semaines sans rencontre.",
                len(rouges),
            )
            % {"n": len(rouges), "semaines": ecart_max.days // 7},
        ]
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{LARGEUR}" height="{HAUTEUR}" '
        f'viewBox="0 0 {LARGEUR} {HAUTEUR}" class="suivi-frise"><title>{escape(_("Frise de l’année"))}</title>'
        f"<desc>{escape(description)}</desc>{''.join(elements)}</svg>"
    )
