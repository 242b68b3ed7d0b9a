"""The applications' CSV/XLSX export: its columns, headed in French, and its XLSX produced in the background.

The admin's export (django-import-export) answers at once up to `SEUIL_ARRIERE_PLAN` rows; beyond, an XLSX is a
`suivi.Export` produced by the worker (`xlsx_des_candidatures`) and downloaded from its page. The CSV, written
several times faster, stays immediate.
"""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.formats.base_formats import XLSX

from mentorat.tableurs import neutraliser

from .models import Candidature

# Beyond this many rows an XLSX takes more than about half a second (2,800 rows: 2.5–3.1 s on the bench's machine,
# about 1 ms a row): the worker produces it and the page follows it.
SEUIL_ARRIERE_PLAN = 500


class CandidatureResource(resources.ModelResource):
    """The columns of the CSV/XLSX export, headed in French."""

    prenom = fields.Field(attribute="utilisateur__prenom", column_name=gettext_lazy("Prénom"))
    nom = fields.Field(attribute="utilisateur__nom", column_name=gettext_lazy("Nom"))
    email = fields.Field(attribute="utilisateur__email", column_name=gettext_lazy("Adresse électronique"))
    promotion = fields.Field(attribute="promotion__nom", column_name=gettext_lazy("Promotion"))
    role = fields.Field(column_name=gettext_lazy("Rôle"))
    corps = fields.Field(attribute="corps", column_name=gettext_lazy("Corps"))
    fonction = fields.Field(attribute="fonction", column_name=gettext_lazy("Fonction"))
    etablissement = fields.Field(attribute="etablissement", column_name=gettext_lazy("Établissement"))
    ght = fields.Field(attribute="ght", column_name=gettext_lazy("GHT"))
    departement = fields.Field(attribute="departement", column_name=gettext_lazy("Département"))
    region = fields.Field(attribute="region", column_name=gettext_lazy("Région"))
    mode_rencontre = fields.Field(column_name=gettext_lazy("Mode"))
    themes = fields.Field(column_name=gettext_lazy("Thèmes"))
    statut = fields.Field(column_name=gettext_lazy("Statut"))
    orientation = fields.Field(column_name=gettext_lazy("Orientation"))
    orientation_suivie = fields.Field(column_name=gettext_lazy("Orientation suivie"))
    rang_attente = fields.Field(attribute="rang_attente", column_name=gettext_lazy("Rang sur la liste d'attente"))
    cree_le = fields.Field(attribute="cree_le", column_name=gettext_lazy("Déposée le"))

    class Meta:
        model = Candidature
        fields = [
            "prenom",
            "nom",
            "email",
            "promotion",
            "role",
            "corps",
            "fonction",
            "etablissement",
            "ght",
            "departement",
            "region",
            "mode_rencontre",
            "themes",
            "statut",
            "orientation",
            "orientation_suivie",
            "rang_attente",
            "cree_le",
        ]

    # Labels of the coded columns, translated once per export: `get_FOO_display` rebuilds its choices for every
    # cell, most of the time of an export of a few thousand applications.
    CHOIX = ("role", "mode_rencontre", "statut", "orientation", "orientation_suivie")

    def before_export(self, queryset, **kwargs):
        super().before_export(queryset, **kwargs)
        self.libelles = {
            champ: {valeur: str(libelle) for valeur, libelle in Candidature._meta.get_field(champ).flatchoices}
            for champ in self.CHOIX
        }

    def _libelle(self, candidature, champ: str) -> str:
        valeur = getattr(candidature, champ)
        return self.libelles[champ].get(valeur, valeur)

    def dehydrate_role(self, candidature):
        return self._libelle(candidature, "role")

    def dehydrate_mode_rencontre(self, candidature):
        return self._libelle(candidature, "mode_rencontre")

    def dehydrate_statut(self, candidature):
        return self._libelle(candidature, "statut")

    def dehydrate_orientation(self, candidature):
        return self._libelle(candidature, "orientation")

    def dehydrate_orientation_suivie(self, candidature):
        return self._libelle(candidature, "orientation_suivie")

    def dehydrate_themes(self, candidature):
        return ", ".join(theme.nom for theme in candidature.themes.all())

    def dehydrate_cree_le(self, candidature):
        # Paris time, as on every screen, rather than the UTC instant stored.
        return timezone.localtime(candidature.cree_le).strftime("%d/%m/%Y %H:%M")

    def export_field(self, field, instance, **kwargs):
        return neutraliser(super().export_field(field, instance, **kwargs))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("utilisateur", "promotion").prefetch_related("themes")


class CandidaturesDansLOrdre(CandidatureResource):
    """The rows of `pks` in that order: the admin list's, whatever sorts it (a column, an expression, the default)."""

    def __init__(self, pks: list[int]):
        super().__init__()
        self.rangs = {pk: rang for rang, pk in enumerate(pks)}

    def iter_queryset(self, queryset):
        return sorted(super().iter_queryset(queryset), key=lambda candidature: self.rangs[candidature.pk])


def xlsx_des_candidatures(
    *, pks: list[int], champs: list[str] | None, progresser: Callable[[int], None] | None = None
) -> bytes:
    """The XLSX of the applications `pks`, in that order (the list's), with the columns `champs` (all if None): the
    same file the admin's export writes at once."""
    avancer = progresser or (lambda pourcentage: None)
    ressource = CandidaturesDansLOrdre(pks)
    donnees = ressource.export(queryset=Candidature.objects.filter(pk__in=pks), export_fields=champs)
    avancer(70)
    return XLSX().export_data(donnees)
