"""Admin: campaigns (with an action that opens them and sends the invitations) and questions.

Responses are deliberately not registered: they are only ever shown aggregated.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentorat import journal
from mentorat.admin_journal import JournaliseAdmin
from mentorat.comite import ChampsEditablesEtiquetes

from . import services
from .models import Campagne, Envoi, Invitation, Question


@admin.register(Campagne)
class CampagneAdmin(JournaliseAdmin, admin.ModelAdmin):
    list_display = ["__str__", "promotion", "type", "ouverture", "fermeture", "etat"]
    list_filter = ["type", "etat", "promotion"]
    readonly_fields = ["etat", "publiee_le"]
    actions = ["ouvrir"]

    def get_readonly_fields(self, request, obj=None):
        # Reopening a closed campaign, then closing it again after one more answer, would let
        # whoever compares the two syntheses read that answer (and the invitations say whose).
        if obj is not None and obj.est_close():
            return [*self.readonly_fields, "promotion", "type", "ouverture", "fermeture"]
        return self.readonly_fields

    @admin.action(description=_("Ouvrir maintenant et envoyer les invitations"))
    def ouvrir(self, request, queryset):
        total = 0
        for campagne in queryset:
            envoyes = len(services.ouvrir_campagne(campagne=campagne))
            # The campaign and its number of invitations only: never the invitations themselves (anonymity).
            journal.consigner(
                journal.Action.CAMPAGNE_OUVERTE, par=request.user, objet=campagne, details={"invitations": envoyes}
            )
            total += envoyes
        self.message_user(
            request,
            ngettext("%(n)d courriel mis en file d'envoi.", "%(n)d courriels mis en file d'envoi.", total)
            % {"n": total},
            messages.SUCCESS,
        )


@admin.register(Question)
class QuestionAdmin(JournaliseAdmin, ChampsEditablesEtiquetes, admin.ModelAdmin):
    list_display = ["intitule", "type", "obligatoire", "ordre", "active"]
    list_editable = ["ordre", "active"]


class EnvoiInline(admin.TabularInline):
    model = Envoi
    extra = 0
    readonly_fields = ["type", "reserve_le", "envoye_le", "tentatives", "derniere_erreur"]
    can_delete = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Never journaled (mentorat.journal.JAMAIS_JOURNALISES): a dated trace beside an invitation would tell when its
    person answered."""

    list_display = ["utilisateur", "campagne", "role", "a_repondu"]
    list_filter = ["campagne", "a_repondu"]
    list_select_related = ["utilisateur", "campagne__promotion"]
    readonly_fields = ["campagne", "utilisateur", "role", "corps", "a_repondu"]
    inlines = [EnvoiInline]
