from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import JetonCalendrier, Rappel, Rencontre, Transmission


@admin.register(Rencontre)
class RencontreAdmin(admin.ModelAdmin):
    list_display = ["date", "binome", "etat", "mode"]
    list_filter = ["etat", "mode", "binome__promotion"]
    list_select_related = ["binome__mentor__utilisateur", "binome__mentore__utilisateur"]
    date_hierarchy = "date"
    raw_id_fields = ["binome"]


@admin.register(Transmission)
class TransmissionAdmin(admin.ModelAdmin):
    list_display = ["binome", "moment", "transmise_le"]
    list_filter = ["moment", "binome__promotion"]
    list_select_related = ["binome__mentor__utilisateur", "binome__mentore__utilisateur"]
    raw_id_fields = ["binome"]


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
class RappelAdmin(admin.ModelAdmin):
    list_display = ["binome", "type", "date_reference", "envoye_le", "tentatives", "derniere_erreur"]
    list_filter = [EchecFilter, "type", "binome__promotion"]
    list_select_related = ["binome__mentor__utilisateur", "binome__mentore__utilisateur"]
    readonly_fields = ["binome", "type", "date_reference", "cree_le", "reserve_le", "envoye_le", "tentatives"]
    date_hierarchy = "cree_le"


@admin.register(JetonCalendrier)
class JetonCalendrierAdmin(admin.ModelAdmin):
    list_display = ["utilisateur", "cree_le"]
    exclude = ["jeton"]
    raw_id_fields = ["utilisateur"]
