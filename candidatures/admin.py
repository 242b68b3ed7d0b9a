"""The committee's screens for applications: list, filters, counts per role, read-only detail, decisions, export."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from mentorat.tableurs import neutraliser

from . import eligibilite, services
from .models import Candidature, Orientation, Role, Statut, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["nom", "actif", "ordre"]
    list_editable = ["actif", "ordre"]
    search_fields = ["nom"]


class CandidatureResource(resources.ModelResource):
    """The columns of the CSV/XLSX export, headed in French."""

    prenom = fields.Field(attribute="utilisateur__prenom", column_name=gettext_lazy("Prénom"))
    nom = fields.Field(attribute="utilisateur__nom", column_name=gettext_lazy("Nom"))
    email = fields.Field(attribute="utilisateur__email", column_name=gettext_lazy("Adresse électronique"))
    promotion = fields.Field(attribute="promotion__nom", column_name=gettext_lazy("Promotion"))
    role = fields.Field(attribute="get_role_display", column_name=gettext_lazy("Rôle"))
    corps = fields.Field(attribute="corps", column_name=gettext_lazy("Corps"))
    fonction = fields.Field(attribute="fonction", column_name=gettext_lazy("Fonction"))
    etablissement = fields.Field(attribute="etablissement", column_name=gettext_lazy("Établissement"))
    ght = fields.Field(attribute="ght", column_name=gettext_lazy("GHT"))
    departement = fields.Field(attribute="departement", column_name=gettext_lazy("Département"))
    region = fields.Field(attribute="region", column_name=gettext_lazy("Région"))
    mode_rencontre = fields.Field(attribute="get_mode_rencontre_display", column_name=gettext_lazy("Mode"))
    themes = fields.Field(column_name=gettext_lazy("Thèmes"))
    statut = fields.Field(attribute="get_statut_display", column_name=gettext_lazy("Statut"))
    orientation = fields.Field(attribute="get_orientation_display", column_name=gettext_lazy("Orientation"))
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
            "cree_le",
        ]

    def dehydrate_themes(self, candidature):
        return ", ".join(theme.nom for theme in candidature.themes.all())

    def dehydrate_cree_le(self, candidature):
        # Paris time, as on every screen, rather than the UTC instant stored.
        return timezone.localtime(candidature.cree_le).strftime("%d/%m/%Y %H:%M")

    def export_field(self, field, instance, **kwargs):
        return neutraliser(super().export_field(field, instance, **kwargs))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("utilisateur", "promotion").prefetch_related("themes")


class ExportCandidaturesForm(SelectableFieldsExportForm):
    """The export's column choices, labelled by their French heading only (not "Cree Le (Déposée le)")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        return str(resource.fields[field_name].column_name)


def _decision(statut: Statut, orientation: Orientation = Orientation.AUCUNE):
    def action(modeladmin, request, queryset):
        faites, refusees = 0, []
        # Each decision is its own transaction and e-mail, so one refused transition does not undo the others.
        for candidature in queryset.select_related("utilisateur"):
            try:
                services.changer_statut(
                    candidature=candidature, statut=statut, par=request.user, orientation=orientation
                )
                faites += 1
            except services.CandidatureRefusee:
                refusees.append(str(candidature.utilisateur))
        if faites:
            modeladmin.message_user(
                request,
                ngettext("%(n)s candidature mise à jour.", "%(n)s candidatures mises à jour.", faites) % {"n": faites},
                messages.SUCCESS,
            )
        if refusees:
            modeladmin.message_user(
                request,
                _("Statut inchangé pour : %(noms)s (transition impossible).") % {"noms": ", ".join(refusees)},
                messages.WARNING,
            )

    return action


def _action(nom, description, statut, orientation=Orientation.AUCUNE):
    fonction = _decision(statut, orientation)
    fonction.__name__ = nom
    return admin.action(description=description, permissions=["change"])(fonction)


ACTIONS = [
    _action("declarer_recevable", gettext_lazy("Déclarer recevable"), Statut.RECEVABLE),
    _action("declarer_non_recevable", gettext_lazy("Déclarer non recevable"), Statut.NON_RECEVABLE),
    _action("retenir", gettext_lazy("Retenir"), Statut.RETENUE),
    _action("ne_pas_retenir", gettext_lazy("Ne pas retenir, sans orientation"), Statut.NON_RETENUE),
    _action(
        "ne_pas_retenir_coaching",
        gettext_lazy("Ne pas retenir, orienter vers un coaching individuel"),
        Statut.NON_RETENUE,
        Orientation.COACHING,
    ),
    _action(
        "ne_pas_retenir_atelier",
        gettext_lazy("Ne pas retenir, orienter vers un atelier collectif"),
        Statut.NON_RETENUE,
        Orientation.ATELIER,
    ),
]

CHAMPS_QUESTIONNAIRE = (
    "promotion",
    "utilisateur",
    "role",
    "telephone",
    "corps",
    "fonction",
    "etablissement",
    "type_etablissement",
    "ght",
    "departement_et_nom",
    "region",
    "date_premier_poste",
    "carriere_geree_cng",
    "debut_fonctions_direction",
    "postes_direction",
    "debut_exercice_encadrement",
    "debut_fonctions_ds",
    "liste_themes",
    "motivation",
    "mode_rencontre",
    "enjeux_declares",
    "consentement_donnees",
    "charte_acceptee",
)
CHAMPS_DECISION = ("verdict", "statut", "orientation", "decide_par", "decide_le", "cree_le", "modifie_le")


@admin.register(Candidature)
class CandidatureAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [CandidatureResource]
    export_formats = [CSV, XLSX]
    export_form_class = ExportCandidaturesForm
    export_template_name = "candidatures/admin/export.html"
    change_list_template = "candidatures/admin/change_list.html"
    change_form_template = "candidatures/admin/change_form.html"
    # The status next to the name, where it stays visible on a narrow screen; no "éligible" column, since an
    # application that breaks a rule is never recorded.
    list_display = ["nom_complet", "statut", "role", "sigle_corps", "etablissement", "region", "cree_le", "email"]
    list_filter = ["promotion", "role", "corps", "region", "statut"]
    list_select_related = ["utilisateur", "promotion"]
    search_fields = ["utilisateur__nom", "utilisateur__prenom", "utilisateur__email", "etablissement"]
    readonly_fields = CHAMPS_QUESTIONNAIRE + CHAMPS_DECISION
    fieldsets = [
        (gettext_lazy("Questionnaire"), {"fields": CHAMPS_QUESTIONNAIRE}),
        (gettext_lazy("Éligibilité et décision"), {"fields": CHAMPS_DECISION}),
    ]
    actions = ACTIONS

    def has_add_permission(self, request):
        # Applications come from the public forms, never from the admin.
        return False

    def get_export_filename(self, request, queryset, file_format):
        # Dated by the Paris day: django-import-export takes the UTC one, yesterday's until 1 or 2 a.m.
        return f"candidatures-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    @admin.display(description=gettext_lazy("candidat"), ordering="utilisateur__nom")
    def nom_complet(self, candidature):
        return candidature.utilisateur.get_full_name()

    @admin.display(description=gettext_lazy("adresse électronique"), ordering="utilisateur__email")
    def email(self, candidature):
        return candidature.utilisateur.email

    @admin.display(description=gettext_lazy("corps"), ordering="corps")
    def sigle_corps(self, candidature):
        # The code (DH, D3S, DS): the full name of the corps would push the status out of the table.
        return candidature.corps

    @admin.display(description=gettext_lazy("département"))
    def departement_et_nom(self, candidature):
        return candidature.libelle_departement

    @admin.display(description=gettext_lazy("thèmes"))
    def liste_themes(self, candidature):
        return ", ".join(theme.nom for theme in candidature.themes.all())

    @admin.display(description=gettext_lazy("verdict d'éligibilité"))
    def verdict(self, candidature):
        # Checked again against the promotion's rules as they are now: the committee may have changed a
        # threshold since the application was submitted.
        regles = eligibilite.Regles.de_la_promotion(candidature.promotion)
        verdict = eligibilite.verifier(services.dossier_de(candidature.role, vars(candidature)), regles)
        if verdict.eligible:
            return _("Éligible : toutes les règles de la promotion sont remplies.")
        motifs = format_html_join("", "<li>{}</li>", ((motif.message,) for motif in verdict.motifs))
        return format_html("{}<ul>{}</ul>", _("Non éligible au regard des règles actuelles de la promotion :"), motifs)

    def get_urls(self):
        decider = self.admin_site.admin_view(self.decider_view)
        return [path("<int:pk>/decider/", decider, name="candidatures_candidature_decider"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        candidature = self.get_object(request, object_id)
        if candidature is not None and self.has_change_permission(request, candidature):
            suivants = Statut(candidature.statut).suivants
            possibles = [s for s in Statut if s in suivants]
            extra_context = {
                **(extra_context or {}),
                "decisions_possibles": [s for s in possibles if s != Statut.RETIREE],
                "orientations": Orientation.choices,
                # Every field is read-only: decisions go through the buttons below, not "Enregistrer".
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(require_POST)
    def decider_view(self, request, pk: int):
        """The decision buttons of the detail page: one status change through the service."""
        candidature = get_object_or_404(Candidature, pk=pk)
        if not self.has_change_permission(request, candidature):
            raise PermissionDenied
        statut, orientation = request.POST.get("statut"), request.POST.get("orientation", Orientation.AUCUNE)
        if statut not in Statut.values or orientation not in Orientation.values:
            raise PermissionDenied
        try:
            services.changer_statut(
                candidature=candidature, statut=Statut(statut), par=request.user, orientation=Orientation(orientation)
            )
        except services.CandidatureRefusee as refus:
            self.message_user(request, str(refus), messages.ERROR)
        else:
            self.message_user(request, _("Décision enregistrée ; la personne en est informée par courriel."))
        return redirect("admin:candidatures_candidature_change", pk)

    def changelist_view(self, request, extra_context=None):
        reponse = super().changelist_view(request, extra_context)
        liste = getattr(reponse, "context_data", {}).get("cl")
        if liste is not None:
            # One aggregate over the filtered list: counts per role, whatever the number of rows.
            reponse.context_data["comptes_par_role"] = liste.queryset.order_by().aggregate(
                mentores=Count("pk", filter=Q(role=Role.MENTORE)), mentors=Count("pk", filter=Q(role=Role.MENTOR))
            )
        return reponse
