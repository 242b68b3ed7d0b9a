"""What each kind of background export (`suivi.Export`) needs beyond its row: how its document is produced, who
may download it, what its download journals, and its page's heading and way back.

The app that owns a document registers its kind here: the tracking tables and the applications below (this app
may read the applications), a campaign's synthesis from `evaluation` (which comes after this app and may import it).
The task, the page, the download, the expiry and the nightly sweep are the same for every kind.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from mentorat import journal

from .models import Export, TypeExport

Progresser = Callable[[int], None]


@dataclass(frozen=True)
class Genre:
    titre: Any  # the page's heading (a lazy translation)
    produire: Callable[[Export, Progresser], bytes]
    peut_telecharger: Callable[[Any, Export], bool]
    journaliser: Callable[[Any, Export], None]
    retour: Callable[[Export], tuple[str, Any]]  # the address and label of the page it was asked from


GENRES: dict[str, Genre] = {}


def enregistrer(type_export: str, genre: Genre) -> None:
    GENRES[type_export] = genre


def genre(export: Export) -> Genre:
    return GENRES[export.type]


# -- the tracking tables --------------------------------------------------------------------------------------------


def _produire_tableaux(export: Export, progresser: Progresser) -> bytes:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from . import exports

    filtres: dict = {"situation": export.filtres.get("situation", "")}
    if export.filtres.get("mes_binomes"):
        filtres["referent"] = get_user_model().objects.get(pk=export.demandeur_id)
    aujourd_hui = timezone.localdate()
    if export.type == TypeExport.TABLEAUX_PDF:
        return exports.pdf_des_tableaux(export.promotion, aujourd_hui, progresser=progresser, **filtres)
    return exports.csv_des_tableaux(export.promotion, aujourd_hui, **filtres)


def journaliser_tableaux(user, promotion, nombre: int, format_: str) -> None:
    journal.consigner(
        journal.Action.EXPORT,
        par=user,
        objet=promotion,
        details={"document": "tableaux de suivi", "format": format_, "binomes": nombre},
    )


def _peut_telecharger_tableaux(user, export: Export) -> bool:
    from .rules import peut_exporter_les_tableaux

    return peut_exporter_les_tableaux(user)


_TABLEAUX = Genre(
    titre=gettext_lazy("Export des tableaux de suivi"),
    produire=_produire_tableaux,
    peut_telecharger=_peut_telecharger_tableaux,
    journaliser=lambda user, export: journaliser_tableaux(
        user, export.promotion, export.nombre_de_binomes, export.extension.upper()
    ),
    retour=lambda export: (
        f"{reverse('suivi:tableau_de_bord')}?promotion={export.promotion_id}",
        gettext_lazy("Retour au tableau de bord"),
    ),
)
enregistrer(TypeExport.TABLEAUX_CSV, _TABLEAUX)
enregistrer(TypeExport.TABLEAUX_PDF, _TABLEAUX)


# -- the applications -----------------------------------------------------------------------------------------------


def _produire_candidatures(export: Export, progresser: Progresser) -> bytes:
    from candidatures.exports import xlsx_des_candidatures

    f = export.filtres
    return xlsx_des_candidatures(pks=f["candidatures"], champs=f["champs"], progresser=progresser)


def _journaliser_candidatures(user, export: Export) -> None:
    # The same entry as the immediate export's (`mentorat.admin_journal.ExportJournalise`), written at each download.
    journal.consigner(
        journal.Action.EXPORT,
        par=user,
        details={
            "document": "candidatures",
            "format": "xlsx",
            "lignes": len(export.filtres["candidatures"]),
            "filtres": export.filtres.get("requete", ""),
        },
    )


def _peut_telecharger_candidatures(user, export: Export) -> bool:
    from candidatures.rules import peut_exporter_les_candidatures

    return peut_exporter_les_candidatures(user)


enregistrer(
    TypeExport.CANDIDATURES_XLSX,
    Genre(
        titre=gettext_lazy("Export des candidatures"),
        produire=_produire_candidatures,
        peut_telecharger=_peut_telecharger_candidatures,
        journaliser=_journaliser_candidatures,
        retour=lambda export: (
            reverse("admin:candidatures_candidature_changelist"),
            gettext_lazy("Retour à la liste des candidatures"),
        ),
    ),
)
