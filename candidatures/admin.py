"""The committee's screens for applications: list, filters, counts per role, read-only detail, decisions, export."""

from typing import cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from mentorat import journal
from mentorat.admin_journal import ExportDiffere, ExportJournalise, JournaliseAdmin
from mentorat.admin_listes import CaseACocherDirecte, LignesEnCache
from mentorat.comite import ChampsEditablesEtiquetes
from mentorat.models import Promotion, Utilisateur

from . import eligibilite, exports, places, services
from .exports import CandidatureResource
from .models import Candidature, Orientation, OrientationSuivie, Role, Statut, Theme
from .rules import peut_exporter_les_candidatures, peut_noter_orientation_suivie


@admin.register(Theme)
class ThemeAdmin(JournaliseAdmin, ChampsEditablesEtiquetes, admin.ModelAdmin):
    list_display = ["nom", "actif", "ordre"]
    list_editable = ["actif", "ordre"]
    search_fields = ["nom"]


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


def _message_repartition(modeladmin, request, repartition: places.Repartition) -> None:
    retenues, en_attente = len(repartition.retenues), len(repartition.en_attente)
    if retenues:
        modeladmin.message_user(
            request,
            ngettext("%(n)s candidature retenue.", "%(n)s candidatures retenues.", retenues) % {"n": retenues},
            messages.SUCCESS,
        )
    if en_attente:
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)s candidature au-delà des places, mise sur la liste d'attente (la personne connaît son rang).",
                "%(n)s candidatures au-delà des places, mises sur la liste d'attente (chacune connaît son rang).",
                en_attente,
            )
            % {"n": en_attente},
            messages.WARNING,
        )
    if repartition.refusees:
        noms = ", ".join(str(c.utilisateur) for c in repartition.refusees)
        modeladmin.message_user(
            request, _("Statut inchangé pour : %(noms)s (transition impossible).") % {"noms": noms}, messages.WARNING
        )


@admin.action(
    description=gettext_lazy("Retenir, dans l'ordre de la liste et dans la limite des places"), permissions=["change"]
)
def retenir(modeladmin, request, queryset):
    # The committee's order is the list's, as sorted on screen: beyond the places, the waiting list in that order.
    for promotion_id in dict.fromkeys(queryset.values_list("promotion_id", flat=True)):
        selection = queryset.filter(promotion_id=promotion_id).select_related("utilisateur", "promotion")
        promotion = selection[0].promotion
        repartition = places.repartir(promotion=promotion, candidatures=selection, par=request.user)
        _message_repartition(modeladmin, request, repartition)


def _orientation_suivie(suivie: OrientationSuivie, description):
    def action(modeladmin, request, queryset):
        notees = services.noter_orientation_suivie(candidatures=queryset, suivie=suivie, par=request.user)
        modeladmin.message_user(
            request,
            ngettext("%(n)s orientation notée « %(suivie)s ».", "%(n)s orientations notées « %(suivie)s ».", notees)
            % {"n": notees, "suivie": suivie.label},
            messages.SUCCESS if notees else messages.WARNING,
        )

    action.__name__ = f"orientation_suivie_{suivie.value}"
    return admin.action(description=description, permissions=["orientation"])(action)


@admin.action(description=gettext_lazy("Marquer comme relue (décision maintenue)"), permissions=["change"])
def marquer_relue(modeladmin, request, queryset):
    relues = services.marquer_relue(candidatures=queryset, par=request.user)
    modeladmin.message_user(
        request,
        ngettext("%(n)s candidature marquée comme relue.", "%(n)s candidatures marquées comme relues.", relues)
        % {"n": relues},
        messages.SUCCESS,
    )


ACTIONS = [
    marquer_relue,
    _action("declarer_recevable", gettext_lazy("Déclarer recevable"), Statut.RECEVABLE),
    _action("declarer_non_recevable", gettext_lazy("Déclarer non recevable"), Statut.NON_RECEVABLE),
    retenir,
    _action("mettre_en_attente", gettext_lazy("Mettre sur la liste d'attente (à la suite)"), Statut.LISTE_ATTENTE),
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
    _orientation_suivie(OrientationSuivie.OUI, gettext_lazy("Orientation suivie : oui")),
    _orientation_suivie(OrientationSuivie.NON, gettext_lazy("Orientation suivie : non")),
    _orientation_suivie(OrientationSuivie.INCONNU, gettext_lazy("Orientation suivie : inconnu")),
]

# The detail reads as the form was filled in: its sections, in its order (`forms.CandidatureForm._helper`).
SECTIONS = [
    (gettext_lazy("Candidat et compte"), ("promotion", "utilisateur", "adresse", "role", "telephone")),
    (
        gettext_lazy("Situation professionnelle"),
        ("corps", "fonction", "etablissement", "type_etablissement", "ght", "departement_et_nom", "region"),
    ),
    (
        gettext_lazy("Parcours"),
        (
            "date_premier_poste",
            "carriere_geree_cng_oui_non",
            "debut_fonctions_direction",
            "postes_direction",
            "debut_exercice_encadrement",
            "debut_fonctions_ds",
        ),
    ),
    (gettext_lazy("Attentes"), ("liste_themes", "motivation", "mode_rencontre", "enjeux_declares")),
    (gettext_lazy("Charte et données personnelles"), ("charte_acceptee_oui_non", "consentement_donnees_oui_non")),
]
CHAMPS_QUESTIONNAIRE = tuple(champ for _titre, champs in SECTIONS for champ in champs)
CHAMPS_DECISION = (
    "verdict",
    "statut",
    "a_relire_oui_non",
    "rang_attente",
    "place_proposee_le",
    "orientation",
    "orientation_suivie",
    "decide_par",
    "decide_le",
    "cree_le",
    "modifie_le",
)


def oui_non(champ: str):
    """A yes/no answer shown in words: Django's read-only icon tells screen readers "True" or "False"."""

    @admin.display(description=cast(models.BooleanField, Candidature._meta.get_field(champ)).verbose_name)
    def afficher(modele_admin, candidature: Candidature) -> str:
        return _("Oui") if getattr(candidature, champ) else _("Non")

    return afficher


def verdict_de(candidature: Candidature, regles: eligibilite.Regles | None = None) -> eligibilite.Verdict:
    """The application checked again against its promotion's rules as they are now (no query); `regles`, the
    promotion's, when already read. A list page sets `verdict_de_la_liste` (`verdicts_de_la_page`) beforehand."""
    deja = getattr(candidature, "verdict_de_la_liste", None)
    if deja is not None:
        return deja
    regles = regles or eligibilite.Regles.de_la_promotion(candidature.promotion)
    return eligibilite.verifier(services.dossier_de(candidature.role, vars(candidature)), regles)


def verdicts_de_la_page(candidatures) -> None:
    """Each application of a list page checked once, each promotion's rules read once (not once per row)."""
    regles: dict[int, eligibilite.Regles] = {}
    for candidature in candidatures:
        if candidature.promotion_id not in regles:
            regles[candidature.promotion_id] = eligibilite.Regles.de_la_promotion(candidature.promotion)
        candidature.verdict_de_la_liste = verdict_de(candidature, regles[candidature.promotion_id])


def etiquette(texte: str, genre: str) -> str:
    return format_html('<span class="comite-etiquette comite-etiquette--{}">{}</span>', genre, texte)


@admin.register(Candidature)
class CandidatureAdmin(
    LignesEnCache, CaseACocherDirecte, ExportDiffere, ExportJournalise, JournaliseAdmin, ExportMixin, admin.ModelAdmin
):
    # Bounded at national scale: 25 rows a page (each row costs the admin a dozen formatted cells), and no second
    # COUNT of the whole table beside the filtered one.
    list_per_page = 25
    show_full_result_count = False
    resource_classes = [CandidatureResource]
    export_formats = [CSV, XLSX]
    # Beyond a few hundred rows the XLSX is produced in the background (`suivi.TypeExport.CANDIDATURES_XLSX`).
    format_export_differe = XLSX
    seuil_export_differe = exports.SEUIL_ARRIERE_PLAN
    type_export_differe = "candidatures_xlsx"
    export_form_class = ExportCandidaturesForm
    export_template_name = "candidatures/admin/export.html"
    change_list_template = "candidatures/admin/change_list.html"
    change_form_template = "candidatures/admin/change_form.html"
    # Chosen to fit a 1280 px screen: the name with its address, then what the committee decides on. The
    # eligibility is checked again against the promotion's current rules (they may have changed since).
    list_display = ["nom_complet", "statut", "role", "sigle_corps", "region", "eligibilite", "cree_le"]
    list_filter = ["promotion", "role", "corps", "region", "statut", "a_relire", "orientation", "orientation_suivie"]
    list_select_related = ["utilisateur", "promotion"]
    tables_des_lignes = (Utilisateur, Promotion)  # the person's name and address, the promotion's rules
    search_fields = ["utilisateur__nom", "utilisateur__prenom", "utilisateur__email", "etablissement"]
    readonly_fields = CHAMPS_QUESTIONNAIRE + CHAMPS_DECISION
    actions = ACTIONS
    carriere_geree_cng_oui_non = oui_non("carriere_geree_cng")
    charte_acceptee_oui_non = oui_non("charte_acceptee")
    consentement_donnees_oui_non = oui_non("consentement_donnees")
    a_relire_oui_non = oui_non("a_relire")

    def has_orientation_permission(self, request):
        return peut_noter_orientation_suivie(request.user)

    def has_export_permission(self, request):
        # The committee's, whatever the size: a large XLSX is downloaded from a page only they may open.
        return peut_exporter_les_candidatures(request.user)

    def has_add_permission(self, request):
        # Applications come from the public forms, never from the admin.
        return False

    def get_fieldsets(self, request, obj=None):
        # The decision first, then the answers in the sections of the form.
        return [
            (gettext_lazy("Éligibilité et décision"), {"fields": CHAMPS_DECISION}),
            *((titre, {"fields": champs}) for titre, champs in SECTIONS),
        ]

    def get_export_filename(self, request, queryset, file_format):
        # Dated by the Paris day: django-import-export takes the UTC one, yesterday's until 1 or 2 a.m.
        return f"candidatures-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    @admin.display(description=gettext_lazy("candidat"), ordering="utilisateur__nom")
    def nom_complet(self, candidature):
        utilisateur = candidature.utilisateur
        confirmee = "" if utilisateur.email_confirme else etiquette(_("adresse non confirmée"), "alerte")
        relire = etiquette(_("à relire : modifiée après la décision"), "alerte") if candidature.a_relire else ""
        return format_html(
            "{}<br><small>{}</small> {} {}", utilisateur.get_full_name(), utilisateur.email, confirmee, relire
        )

    @admin.display(description=gettext_lazy("adresse électronique"))
    def adresse(self, candidature):
        utilisateur = candidature.utilisateur
        if utilisateur.email_confirme:
            return format_html("{} {}", utilisateur.email, etiquette(_("confirmée"), "succes"))
        return format_html(
            "{} {}<br>{}",
            utilisateur.email,
            etiquette(_("non confirmée"), "alerte"),
            _(
                "La personne n'a pas encore suivi le lien de confirmation : rien ne prouve que cette adresse est "
                "la sienne. Elle reste hors de toute proposition d'appariement jusqu'à sa confirmation."
            ),
        )

    @admin.display(description=gettext_lazy("éligibilité"))
    def eligibilite(self, candidature):
        verdict = verdict_de(candidature)
        if verdict.eligible:
            return etiquette(_("Éligible"), "succes")
        return format_html(
            "{}<br><small>{}</small>",
            etiquette(_("Non éligible"), "erreur"),
            " ".join(motif.message for motif in verdict.motifs),
        )

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
        verdict = verdict_de(candidature)
        if verdict.eligible:
            return _("Éligible : toutes les règles de la promotion sont remplies.")
        motifs = format_html_join("", "<li>{}</li>", ((motif.message,) for motif in verdict.motifs))
        return format_html("{}<ul>{}</ul>", _("Non éligible au regard des règles actuelles de la promotion :"), motifs)

    def get_urls(self):
        decider = self.admin_site.admin_view(self.decider_view)
        return [path("<int:pk>/decider/", decider, name="candidatures_candidature_decider"), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        candidature = self.get_object(request, object_id)
        if candidature is not None and request.method == "GET" and self.has_view_permission(request, candidature):
            # Who read whose application: the detail shows every personal answer.
            journal.consigner(journal.Action.CANDIDATURE_CONSULTEE, par=request.user, objet=candidature)
        if candidature is not None and self.has_change_permission(request, candidature):
            suivants = Statut(candidature.statut).suivants
            possibles = [s for s in Statut if s in suivants]
            extra_context = {
                **(extra_context or {}),
                "decisions_possibles": [
                    s
                    for s in possibles
                    if s != Statut.RETIREE and (s != Statut.LISTE_ATTENTE or candidature.role == Role.MENTORE)
                ],
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
        candidature = get_object_or_404(Candidature.objects.select_related("promotion", "utilisateur"), pk=pk)
        if not self.has_change_permission(request, candidature):
            raise PermissionDenied
        statut, orientation = request.POST.get("statut"), request.POST.get("orientation", Orientation.AUCUNE)
        if statut not in Statut.values or orientation not in Orientation.values:
            raise PermissionDenied
        if statut == Statut.RETENUE:
            # Within the places: beyond them, the waiting list.
            repartition = places.repartir(promotion=candidature.promotion, candidatures=[candidature], par=request.user)
            _message_repartition(self, request, repartition)
            if not (repartition.retenues or repartition.en_attente or repartition.refusees):
                self.message_user(
                    request, _("Aucune place n'est libre : la candidature reste sur la liste d'attente, à son rang.")
                )
            return redirect("admin:candidatures_candidature_change", pk)
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
            # The page's rows, read now (the template reuses them): their verdicts computed in one pass; not read at
            # all where the rows come from the cache.
            if not self.lignes_en_cache(reponse):
                verdicts_de_la_page(liste.result_list)
            # One aggregate over the filtered list: counts per role and per status, whatever the number of rows.
            comptes = liste.queryset.order_by().aggregate(
                mentores=Count("pk", filter=Q(role=Role.MENTORE)),
                mentors=Count("pk", filter=Q(role=Role.MENTOR)),
                **{f"statut_{s.value}": Count("pk", filter=Q(statut=s)) for s in Statut},
            )
            reponse.context_data["comptes_par_role"] = comptes
            reponse.context_data["comptes_par_statut"] = [
                (s, comptes[f"statut_{s.value}"], liste.get_query_string({"statut__exact": s.value}, ["p"]))
                for s in Statut
            ]
            reponse.context_data["title"] = _("Candidatures")
        return reponse
