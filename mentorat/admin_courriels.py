"""The outbox in the admin: filter by state, read the server's answer, send again after fixing an address."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import courriels, journal
from .admin_journal import JournaliseAdmin
from .models import Courriel, EtatEnvoi
from .rules import est_ingenieur


class EtatEnvoiFilter(admin.SimpleListFilter):
    title = _("état de l'envoi")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return EtatEnvoi.choices

    def queryset(self, request, queryset):
        attente = Q(envoye_le=None, echoue_le=None)
        filtres = {
            EtatEnvoi.A_ENVOYER: attente & Q(tentatives=0),
            EtatEnvoi.EN_RETARD: attente & Q(tentatives__gt=0),
            EtatEnvoi.ENVOYE: Q(envoye_le__isnull=False),
            EtatEnvoi.ECHOUE: Q(envoye_le=None, echoue_le__isnull=False),
        }
        return queryset.filter(filtres[self.value()]) if self.value() in filtres else queryset


class EnvoiAdmin(admin.ModelAdmin):
    """Shared by the outbox's tables: the state filter and the « send again » action."""

    actions = ["renvoyer"]

    @admin.display(description=_("état"))
    def etat(self, obj):
        return obj.etat.label

    @admin.action(description=_("Renvoyer (après correction de l'adresse)"))
    def renvoyer(self, request, queryset):
        for ligne in queryset.filter(envoye_le=None):
            journal.consigner(journal.Action.COURRIEL_RENVOYE, par=request.user, objet=ligne, request=request)
        nombre = courriels.renvoyer(queryset)
        self.message_user(
            request,
            ngettext("%(n)d courriel sera renvoyé.", "%(n)d courriels seront renvoyés.", nombre) % {"n": nombre},
            messages.SUCCESS,
        )


CHAMPS: list[str | list[str] | tuple[str, ...] | tuple[()]] = [
    "nom",
    "destinataires",
    "copie",
    "cle",
    "cree_le",
    "tentatives",
    "prochaine_tentative",
    "reserve_le",
    "envoye_le",
    "echoue_le",
    "derniere_erreur",
    "message_id",
]


@admin.register(Courriel)
class CourrielAdmin(JournaliseAdmin, EnvoiAdmin):
    """The one-off e-mails: engineers only, as the tracking tables. Only the recipients may be corrected."""

    list_display = ["cree_le", "nom", "destinataires", "etat", "tentatives", "prochaine_tentative", "derniere_erreur"]
    list_filter = [EtatEnvoiFilter, "nom"]
    search_fields = ["cle", "destinataires"]
    date_hierarchy = "cree_le"
    fields = CHAMPS
    readonly_fields = [str(f) for f in CHAMPS if f not in ("destinataires", "copie")]

    def has_module_permission(self, request):
        return est_ingenieur(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return est_ingenieur(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return est_ingenieur(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False  # e-mails are written by the changes that cause them

    def has_delete_permission(self, request, obj=None):
        return False  # the outbox is the record of what was sent
