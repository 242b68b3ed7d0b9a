from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from . import admin_courriels, comptes  # noqa: F401 - admin_courriels registers the outbox
from .admin_journal import ExportJournalise, JournaliseAdmin
from .models import GROUPE_INGENIEUR, GROUPE_PILOTE, EntreeJournal, Promotion, Utilisateur
from .rules import compte_du_comite, peut_gerer_les_comptes_du_comite
from .tableurs import neutraliser


class UtilisateurCreationForm(AdminUserCreationForm):
    class Meta:
        model = Utilisateur
        fields = ("email", "prenom", "nom")


class UtilisateurChangeForm(UserChangeForm):
    class Meta:
        model = Utilisateur
        fields = "__all__"


# Roles, staff status and permissions change through « Gestion des comptes du comité » only (mentorat.comptes).
CHAMPS_DES_DROITS = ("is_staff", "is_superuser", "groups", "last_login", "date_joined")


@admin.register(Utilisateur)
class UtilisateurAdmin(JournaliseAdmin, UserAdmin):
    """Accounts. The pilot corrects the names of candidates and participants; superusers also their address and
    activity; roles, staff status and groups are never ticked here, and only superusers set a password."""

    form = UtilisateurChangeForm
    add_form = UtilisateurCreationForm
    ordering = ("nom", "prenom")
    list_display = ("email", "prenom", "nom", "is_staff", "is_active", "email_confirme")
    list_filter = ("is_staff", "is_active", "email_confirme", "groups")
    search_fields = ("email", "prenom", "nom")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (gettext_lazy("Identité"), {"fields": ("prenom", "nom", "email_confirme")}),
        (gettext_lazy("Rôles et droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (gettext_lazy("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "prenom", "nom", "password1", "password2")}),)
    # Plain lists rather than Django's two-box widget, whose search icons fail WCAG (aria-prohibited-attr).
    filter_horizontal = ()
    change_list_template = "mentorat/admin/utilisateur_change_list.html"

    def get_fieldsets(self, request, obj=None):
        if obj is not None and not request.user.is_superuser:
            # The password's summary links to the form that sets it: not shown to whoever may not use it.
            return ((None, {"fields": ("email",)}), *self.fieldsets[1:])
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return CHAMPS_DES_DROITS
        return (*CHAMPS_DES_DROITS, "email", "email_confirme", "is_active")

    def has_add_permission(self, request):
        return peut_gerer_les_comptes_du_comite(request.user)

    def has_delete_permission(self, request, obj=None):
        return peut_gerer_les_comptes_du_comite(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # A committee account is changed by a superuser only: the pilot cannot touch the engineers' accounts.
        return obj is None or request.user.is_superuser or not compte_du_comite(obj)

    def user_change_password(self, request, id, form_url=""):
        if not peut_gerer_les_comptes_du_comite(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    # --- « Gestion des comptes du comité » (superusers) -----------------------

    def get_urls(self):
        vue = self.admin_site.admin_view
        return [
            path("comite/", vue(self.comite), name="mentorat_comptes_du_comite"),
            path("comite/ajouter/", vue(self.ajouter_au_comite), name="mentorat_comite_ajouter"),
            path("comite/<int:pk>/role/", vue(self.changer_role), name="mentorat_comite_role"),
            path("comite/<int:pk>/activite/", vue(self.changer_activite), name="mentorat_comite_activite"),
            path(
                "comite/<int:pk>/second-facteur/",
                vue(self.reinitialiser_second_facteur),
                name="mentorat_comite_second_facteur",
            ),
            *super().get_urls(),
        ]

    def _gestionnaire(self, request):
        if not peut_gerer_les_comptes_du_comite(request.user):
            raise PermissionDenied

    def comite(self, request, form: "NouveauMembreForm | None" = None):
        self._gestionnaire(request)
        membres = (
            Utilisateur.objects.filter(
                Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=[GROUPE_PILOTE, GROUPE_INGENIEUR])
            )
            .distinct()
            .annotate(
                a_un_second_facteur=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
                est_pilote=Exists(Group.objects.filter(user=OuterRef("pk"), name=GROUPE_PILOTE)),
                est_ingenieur=Exists(Group.objects.filter(user=OuterRef("pk"), name=GROUPE_INGENIEUR)),
            )
            .order_by("nom", "prenom")
        )
        contexte = {
            **self.admin_site.each_context(request),
            "title": _("Gestion des comptes du comité"),
            "opts": self.model._meta,
            "membres": membres,
            "roles": comptes.RoleAuComite.choices,
            "form": form or NouveauMembreForm(),
        }
        return TemplateResponse(request, "mentorat/admin/comptes_du_comite.html", contexte)

    def _appliquer(self, request, action, succes: str):
        try:
            action()
        except comptes.CompteRefuse as refus:
            messages.error(request, str(refus))
        else:
            messages.success(request, succes)
        return redirect("admin:mentorat_comptes_du_comite")

    @method_decorator(require_POST)
    def ajouter_au_comite(self, request):
        self._gestionnaire(request)
        form = NouveauMembreForm(request.POST)
        if not form.is_valid():
            return self.comite(request, form)
        return self._appliquer(
            request,
            lambda: comptes.creer_compte(par=request.user, **form.cleaned_data),
            _("Compte créé : la personne choisit son mot de passe avec « Mot de passe oublié ? »."),
        )

    @method_decorator(require_POST)
    def changer_role(self, request, pk: int):
        self._gestionnaire(request)
        utilisateur = get_object_or_404(Utilisateur, pk=pk)
        role = request.POST.get("role")
        if role not in comptes.RoleAuComite.values:
            raise PermissionDenied
        return self._appliquer(
            request,
            lambda: comptes.changer_role(utilisateur=utilisateur, role=comptes.RoleAuComite(role), par=request.user),
            _("Rôle de %(nom)s enregistré.") % {"nom": utilisateur},
        )

    @method_decorator(require_POST)
    def changer_activite(self, request, pk: int):
        self._gestionnaire(request)
        utilisateur = get_object_or_404(Utilisateur, pk=pk)
        actif = request.POST.get("actif") == "oui"
        return self._appliquer(
            request,
            lambda: comptes.changer_activite(utilisateur=utilisateur, actif=actif, par=request.user),
            _("Compte de %(nom)s réactivé.") % {"nom": utilisateur}
            if actif
            else _("Compte de %(nom)s désactivé.") % {"nom": utilisateur},
        )

    @method_decorator(require_POST)
    def reinitialiser_second_facteur(self, request, pk: int):
        self._gestionnaire(request)
        utilisateur = get_object_or_404(Utilisateur, pk=pk)
        return self._appliquer(
            request,
            lambda: comptes.reinitialiser_second_facteur(utilisateur=utilisateur, par=request.user),
            _("Double authentification de %(nom)s réinitialisée : nouvelle activation à la prochaine connexion.")
            % {"nom": utilisateur},
        )


class NouveauMembreForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Adresse électronique"))
    prenom = forms.CharField(label=gettext_lazy("Prénom"), max_length=100)
    nom = forms.CharField(label=gettext_lazy("Nom"), max_length=100)
    role = forms.ChoiceField(
        label=gettext_lazy("Rôle"),
        choices=[(r.value, r.label) for r in comptes.RoleAuComite if r != comptes.RoleAuComite.AUCUN],
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_role(self) -> comptes.RoleAuComite:
        return comptes.RoleAuComite(self.cleaned_data["role"])


@admin.register(Promotion)
class PromotionAdmin(JournaliseAdmin, admin.ModelAdmin):
    list_display = (
        "nom",
        "est_courante",
        "ouverture_candidatures",
        "cloture_candidatures",
        "journee_lancement",
        "places_et_attente",
    )
    list_filter = ("est_courante",)
    search_fields = ("nom",)
    fieldsets = (
        (None, {"fields": ("nom", "est_courante", "email_contact")}),
        (
            gettext_lazy("Candidatures"),
            {"fields": ("ouverture_candidatures", "cloture_candidatures", "date_premier_poste", "places_mentores")},
        ),
        (
            gettext_lazy("Calendrier de l'année"),
            {
                "fields": (
                    "journee_lancement",
                    "lieu_lancement",
                    "ouverture_confirmation",
                    "evenement_mi_parcours",
                    "journee_bilan",
                    "fin",
                )
            },
        ),
        (gettext_lazy("Rencontres"), {"fields": ("rencontres_min", "rencontres_max", "ecart_max_semaines")}),
        (
            gettext_lazy("Éligibilité"),
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

    @admin.display(description=gettext_lazy("places et liste d'attente"))
    def places_et_attente(self, promotion):
        # The page belongs to the applications (candidatures:places); named by its URL, not imported.
        return format_html('<a href="{}">{}</a>', reverse("candidatures:places", args=[promotion.pk]), _("Voir"))


class GroupeAdmin(JournaliseAdmin, GroupAdmin):
    """Django's group admin with a plain list of permissions (registered by `ComiteAdminConfig.ready`)."""

    filter_horizontal = ()


class EntreeJournalResource(resources.ModelResource):
    """The journal's export, headed in French, times in Paris."""

    le = fields.Field(attribute="le", column_name=gettext_lazy("Le"))
    personne = fields.Field(attribute="par_libelle", column_name=gettext_lazy("Personne"))
    action = fields.Field(attribute="get_action_display", column_name=gettext_lazy("Action"))
    objet = fields.Field(attribute="objet_libelle", column_name=gettext_lazy("Objet"))
    details = fields.Field(attribute="details", column_name=gettext_lazy("Détails"))
    adresse_ip = fields.Field(attribute="adresse_ip", column_name=gettext_lazy("Adresse IP"))

    class Meta:
        model = EntreeJournal
        fields = ["le", "personne", "action", "objet", "details", "adresse_ip"]

    def dehydrate_le(self, entree):
        return timezone.localtime(entree.le).strftime("%d/%m/%Y %H:%M:%S")

    def export_field(self, field, instance, **kwargs):
        return neutraliser(super().export_field(field, instance, **kwargs))


@admin.register(EntreeJournal)
class EntreeJournalAdmin(ExportJournalise, ExportMixin, admin.ModelAdmin):
    """The audit journal, read by the pilot and the engineers: filters by person, action and period; export.
    Nobody adds, changes or deletes an entry here."""

    resource_classes = [EntreeJournalResource]
    export_formats = [CSV, XLSX]
    export_template_name = "candidatures/admin/export.html"  # import-export's page with a labelled "select all"
    list_display = ["le", "par_libelle", "action", "objet_libelle", "resume"]
    list_filter = ["action", ("par", admin.RelatedOnlyFieldListFilter), "le"]
    search_fields = ["par_libelle", "objet_libelle"]
    date_hierarchy = "le"
    readonly_fields = [
        "le",
        "par",
        "par_libelle",
        "action",
        "objet_type",
        "objet_id",
        "objet_libelle",
        "details",
        "adresse_ip",
    ]
    actions = None

    def get_export_filename(self, request, queryset, file_format):
        return f"journal-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    @admin.display(description=gettext_lazy("détails"))
    def resume(self, entree):
        return ", ".join(f"{cle} : {valeur}" for cle, valeur in entree.details.items())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
