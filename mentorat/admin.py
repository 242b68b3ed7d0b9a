from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Promotion, Utilisateur


class UtilisateurCreationForm(AdminUserCreationForm):
    class Meta:
        model = Utilisateur
        fields = ("email", "prenom", "nom")


class UtilisateurChangeForm(UserChangeForm):
    class Meta:
        model = Utilisateur
        fields = "__all__"


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    form = UtilisateurChangeForm
    add_form = UtilisateurCreationForm
    ordering = ("nom", "prenom")
    list_display = ("email", "prenom", "nom", "is_staff", "is_active", "email_confirme")
    list_filter = ("is_staff", "is_active", "email_confirme", "groups")
    search_fields = ("email", "prenom", "nom")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("prenom", "nom", "email_confirme")}),
        (_("Rôles et droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "prenom", "nom", "password1", "password2")}),)
    # Plain lists rather than Django's two-box widget, whose search icons fail WCAG (aria-prohibited-attr).
    filter_horizontal = ()


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ("nom", "est_courante", "ouverture_candidatures", "cloture_candidatures", "journee_lancement")
    list_filter = ("est_courante",)
    search_fields = ("nom",)
    fieldsets = (
        (None, {"fields": ("nom", "est_courante", "email_contact")}),
        (_("Candidatures"), {"fields": ("ouverture_candidatures", "cloture_candidatures", "date_premier_poste")}),
        (
            _("Calendrier de l'année"),
            {"fields": ("journee_lancement", "lieu_lancement", "evenement_mi_parcours", "journee_bilan", "fin")},
        ),
        (_("Rencontres"), {"fields": ("rencontres_min", "rencontres_max", "ecart_max_semaines")}),
        (
            _("Éligibilité"),
            {
                "fields": (
                    "corps_mentores",
                    "corps_mentors",
                    "binomes_mixtes",
                    "mentor_annees_direction",
                    "mentor_postes_distincts",
                    "mentor_ds_annees_encadrement",
                    "mentor_ds_annees_ds",
                )
            },
        ),
    )


class GroupeAdmin(GroupAdmin):
    """Django's group admin with a plain list of permissions (registered by `ComiteAdminConfig.ready`)."""

    filter_horizontal = ()
