from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentorat import journal
from mentorat.admin_courriels import EnvoiAdmin, EtatEnvoiFilter
from mentorat.admin_journal import JournaliseAdmin
from mentorat.rules import est_ingenieur

from . import evenements, services
from .models import EvenementCollectif, JetonCalendrier, Rappel, Rencontre, Transmission


class ReserveAuxIngenieurs:
    """The tracking tables are seen by the engineers only, not by the pilot (the guide's rule)."""

    def has_module_permission(self, request):
        return est_ingenieur(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return est_ingenieur(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return est_ingenieur(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return est_ingenieur(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return est_ingenieur(request.user) and super().has_delete_permission(request, obj)


@admin.register(Rencontre)
class RencontreAdmin(ReserveAuxIngenieurs, JournaliseAdmin, admin.ModelAdmin):
    # Bounded at national scale: 50 rows a page, and no second COUNT of the whole table beside the filtered one.
    list_per_page = 50
    show_full_result_count = False
    """The engineers correct a meeting the pair logged; every write goes through the services, so that
    marking a meeting held raises the referent's alert when the gap was exceeded. Each correction is journaled."""

    list_display = ["date", "binome", "etat", "mode"]
    list_filter = ["etat", "mode", "binome__promotion"]
    list_select_related = ["binome__mentor__utilisateur", "binome__mentore__utilisateur"]
    date_hierarchy = "date"
    fields = ["binome", "date", "mode", "themes", "autre_theme", "etat", "notee_par"]
    readonly_fields = ["binome", "etat", "notee_par"]
    actions = ["marquer_tenues"]
    journal_des_formulaires = False  # journaled below, as corrections

    def has_add_permission(self, request):
        return False  # the pair logs its meetings; an engineer corrects one, never invents one

    @staticmethod
    def _corriger(request, rencontre, operation: str, details: dict | None = None) -> None:
        journal.consigner(
            journal.Action.RENCONTRE_CORRIGEE,
            par=request.user,
            objet=rencontre,
            details={"operation": operation, **(details or {})},
        )

    def save_model(self, request, obj, form, change):
        services.modifier_rencontre(rencontre=obj, par=request.user, **form.cleaned_data)
        self._corriger(request, obj, "modification", {"champs": form.changed_data})

    def delete_model(self, request, obj):
        self._corriger(request, obj, "suppression")
        services.supprimer_rencontre(rencontre=obj)

    def delete_queryset(self, request, queryset):
        for rencontre in queryset:
            self._corriger(request, rencontre, "suppression")
            services.supprimer_rencontre(rencontre=rencontre)

    @admin.action(
        description=_("Marquer comme tenues (alerte au référent si l'écart est dépassé)"), permissions=["change"]
    )
    def marquer_tenues(self, request, queryset):
        a_venir = 0
        for rencontre in queryset.select_related("binome__promotion"):
            try:
                services.marquer_rencontre_tenue(rencontre=rencontre, par=request.user)
            except services.RencontreAVenir:
                a_venir += 1
            else:
                self._corriger(request, rencontre, "marquée comme tenue")
        if a_venir:
            self.message_user(
                request,
                ngettext(
                    "%(n)d rencontre à venir n'a pas été marquée comme tenue.",
                    "%(n)d rencontres à venir n'ont pas été marquées comme tenues.",
                    a_venir,
                )
                % {"n": a_venir},
                messages.WARNING,
            )


@admin.register(Transmission)
class TransmissionAdmin(ReserveAuxIngenieurs, JournaliseAdmin, admin.ModelAdmin):
    """What the pairs sent: read, never written here (the pair transmits through `transmettre_tableau`)."""

    list_display = ["binome", "moment", "transmise_le"]
    list_filter = ["moment", "binome__promotion"]
    list_select_related = ["binome__mentor__utilisateur", "binome__mentore__utilisateur"]
    readonly_fields = ["binome", "moment", "transmise_le", "transmise_par"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EchecFilter(admin.SimpleListFilter):
    title = _("envoi")
    parameter_name = "envoi"

    def lookups(self, request, model_admin):
        return [("echec", _("En échec (non envoyé, avec erreur)")), ("envoye", _("Envoyé"))]

    def queryset(self, request, queryset):
        if self.value() == "echec":
            return queryset.filter(envoye_le=None).exclude(derniere_erreur="")
        if self.value() == "envoye":
            return queryset.exclude(envoye_le=None)
        return queryset


@admin.register(Rappel)
class RappelAdmin(ReserveAuxIngenieurs, JournaliseAdmin, EnvoiAdmin):
    """Reminders are tracking facts (which pair let its meetings drift): engineers only, as the tables."""

    list_display = ["binome", "type", "date_reference", "etat", "envoye_le", "tentatives", "derniere_erreur"]
    list_filter = [EtatEnvoiFilter, EchecFilter, "type", "binome__promotion"]
    list_select_related = ["binome__mentor__utilisateur", "binome__mentore__utilisateur"]
    readonly_fields = [
        "binome",
        "type",
        "date_reference",
        "cree_le",
        "reserve_le",
        "envoye_le",
        "echoue_le",
        "tentatives",
        "prochaine_tentative",
        "premiere_erreur_le",
        "message_id",
    ]
    date_hierarchy = "cree_le"

    def has_add_permission(self, request):
        return False  # reminders are created by the daily task only; a hand-made one would be sent


@admin.register(JetonCalendrier)
class JetonCalendrierAdmin(ReserveAuxIngenieurs, JournaliseAdmin, admin.ModelAdmin):
    list_display = ["utilisateur", "cree_le"]
    exclude = ["jeton"]
    raw_id_fields = ["utilisateur"]


@admin.register(EvenementCollectif)
class EvenementCollectifAdmin(JournaliseAdmin, admin.ModelAdmin):
    """The committee schedules each collective time (hours, place or video link, programme) and sends its
    invitations; answers and attendance are the engineers' (« Temps collectifs » under /suivi/), not shown here."""

    list_display = ["type", "promotion", "debut", "lieu", "invitations_envoyees_le"]
    list_filter = ["promotion", "type"]
    list_select_related = ["promotion"]
    fields = ["promotion", "type", "debut", "fin", "lieu", "lien_visio", "programme", "invitations_envoyees_le"]
    readonly_fields = ["invitations_envoyees_le"]
    actions = ["envoyer_invitations"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "lien_visio":
            kwargs["assume_scheme"] = "https"  # a video link typed without its scheme is a secure one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.action(description=_("Envoyer les invitations (avec le fichier .ics)"), permissions=["change"])
    def envoyer_invitations(self, request, queryset):
        nombre = sum(evenements.inviter(evenement=e, par=request.user) for e in queryset)
        self.message_user(
            request,
            ngettext("%(n)s invitation envoyée.", "%(n)s invitations envoyées.", nombre) % {"n": nombre},
            messages.SUCCESS,
        )
