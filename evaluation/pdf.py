"""The synthesis as a PDF (WeasyPrint through `mentorat.pdf`)."""

from django.utils.translation import gettext as _

from mentorat.pdf import rendre_pdf

from .models import Campagne
from .synthese import calculer


def synthese_pdf(campagne: Campagne) -> bytes:
    titre = _("Synthèse — %(campagne)s") % {"campagne": campagne}
    return rendre_pdf(
        "evaluation/pdf/synthese.html",
        {
            "titre": titre,
            # The shared footer escapes "-" and "'" for JavaScript, not CSS: keep them out of it.
            "pied_de_page": _("Synthèse de l’évaluation du programme"),
            "campagne": campagne,
            "synthese": calculer(campagne),
        },
    )
