"""PDF rendering with WeasyPrint, shared by the tracking tables and the syntheses.

WeasyPrint is imported inside the function (about a second to import) and never
fetches anything over HTTP: static files are read from disk, any other URL is refused.
"""

from collections.abc import Callable

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

PREFIXE_STATIQUE = "static:"


def _lire_fichier_statique(url: str) -> dict:
    chemin = finders.find(url.removeprefix(PREFIXE_STATIQUE))
    if not chemin:
        raise ValueError(f"Ressource introuvable pour le PDF : {url}")
    with open(chemin, "rb") as fichier:
        return {"string": fichier.read()}


def url_fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """Serve `static:<path>` from the static files on disk; refuse every other URL."""
    if url.startswith(PREFIXE_STATIQUE):
        return _lire_fichier_statique(url)
    raise ValueError(f"Ressource externe refusée dans un PDF : {url}")


def rendre_pdf(gabarit: str, contexte: dict, progresser: Callable[[int], None] | None = None) -> bytes:
    """Render template `gabarit` (extending `pdf/base.html`) to PDF bytes.

    `progresser`, if given, is told the percentage done after each step (HTML, layout, PDF written)."""
    from weasyprint import HTML

    avancer = progresser or (lambda pourcentage: None)
    contexte = {"genere_le": timezone.localtime(), **contexte}
    html = render_to_string(gabarit, contexte)
    avancer(40)
    document = HTML(string=html, url_fetcher=url_fetcher, base_url=PREFIXE_STATIQUE).render()
    avancer(85)
    return document.write_pdf()
