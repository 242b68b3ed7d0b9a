"""The synthesis as a PDF (WeasyPrint through `mentorat.pdf`); a large one produced in the background.

A campaign's synthesis is aggregated figures: its pages do not grow with the answers, but its nine queries read
every answer's values (1,600 answers: 0.3–0.4 s in all on the bench's machine, WeasyPrint already imported). Beyond
`SEUIL_ARRIERE_PLAN` answers it is a `suivi.Export` produced by the worker, which also spares the web process
WeasyPrint's import (about a second) and its memory; smaller campaigns are answered at once.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorat import journal
from mentorat.pdf import rendre_pdf
from mentorat.rules import est_membre_du_comite
from suivi import exports_differes
from suivi.models import Export, StatutExport, TypeExport
from suivi.services import demander_export

from . import rules
from .models import Campagne
from .synthese import cle_de_cache, en_cache

# A national end-of-year campaign (2,000 participants) crosses it; a promotion's mid-course one of a few hundred
# pairs does not.
SEUIL_ARRIERE_PLAN = 1000


def synthese_pdf(campagne: Campagne, progresser: Callable[[int], None] | None = None) -> bytes:
    titre = _("Synthèse — %(campagne)s") % {"campagne": campagne}
    return rendre_pdf(
        "evaluation/pdf/synthese.html",
        {
            "titre": titre,
            # The shared footer escapes "-" and "'" for JavaScript, not CSS: keep them out of it.
            "pied_de_page": _("Synthèse de l’évaluation du programme"),
            "campagne": campagne,
            "synthese": en_cache(campagne),  # closed: the page's figures, if it computed them
        },
        progresser,
    )


def journaliser(user, campagne: Campagne | None) -> None:
    """The committee's downloads are journaled; a participant reading the published synthesis is not traced."""
    if campagne is not None and est_membre_du_comite(user):
        journal.consigner(
            journal.Action.EXPORT, par=user, objet=campagne, details={"document": "synthèse", "format": "PDF"}
        )


def _campagne(export: Export) -> Campagne | None:
    return Campagne.objects.select_related("promotion").filter(pk=export.filtres.get("campagne")).first()


def export_de_la_synthese(campagne: Campagne, par, reponses: int) -> Export:
    """The background export of `campagne`'s synthesis: the one already asked (waiting, in progress or ready, not
    expired) for the same synthesis, else a new one. The document is the same for all who may read it (figures, no
    person in it): once published, two thousand participants downloading it make one job, not two thousand, and a
    double click makes none more."""
    cle = cle_de_cache(campagne)
    existant = (
        Export.objects.filter(
            type=TypeExport.SYNTHESE_PDF, filtres__campagne=campagne.pk, filtres__cle=cle, expire_le__gt=timezone.now()
        )
        .exclude(statut=StatutExport.ECHEC)
        .order_by("-cree_le")
        .first()
    )
    if existant is not None:
        return existant
    return demander_export(
        promotion=campagne.promotion,
        par=par,
        type_export=TypeExport.SYNTHESE_PDF,
        filtres={"campagne": campagne.pk, "reponses": reponses, "cle": cle},
    )


def _peut_telecharger(user, export: Export) -> bool:
    """Whoever may download the synthesis today (`rules.peut_voir_synthese`, the campaign closed): the same document
    for all of them, whoever asked for it."""
    campagne = _campagne(export)
    return campagne is not None and campagne.est_close() and rules.peut_voir_synthese(user, campagne)


def _produire(export: Export, progresser: Callable[[int], None]) -> bytes:
    campagne = _campagne(export)
    if campagne is None:
        raise Campagne.DoesNotExist(f"Campagne {export.filtres.get('campagne')} supprimée avant son export")
    return synthese_pdf(campagne, progresser)


exports_differes.enregistrer(
    TypeExport.SYNTHESE_PDF,
    exports_differes.Genre(
        titre=gettext_lazy("Export de la synthèse"),
        produire=_produire,
        peut_telecharger=_peut_telecharger,
        journaliser=lambda user, export: journaliser(user, _campagne(export)),
        retour=lambda export: (
            reverse("evaluation:synthese", args=[export.filtres.get("campagne")]),
            gettext_lazy("Retour à la synthèse"),
        ),
    ),
)
