"""The committee's screens for personal-data rights: the retention list the pilot approves, and the erasure
requests an engineer answers."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from binomes.models import Binome
from mentorat.rules import est_ingenieur, est_pilote

from . import services
from .forms import TraitementDemandeForm
from .models import DemandeEffacement, Expiration, StatutDemande


@admin.register(Expiration)
class ExpirationAdmin(admin.ModelAdmin):
    """What reached the end of its retention period, listed each day; the pilot approves its anonymisation."""

    list_display = [
        "__str__",
        "personne",
        "promotion",
        "echeance",
        "etat",
        "approuvee_par",
        "approuvee_le",
        "anonymisee_le",
    ]
    list_filter = ["etat", "nature"]
    list_select_related = ["candidature__utilisateur", "candidature__promotion", "approuvee_par"]
    date_hierarchy = "echeance"
    actions = ["approuver"]

    @admin.display(description=gettext_lazy("personne"))
    def personne(self, expiration: Expiration) -> str:
        return str(expiration.candidature.utilisateur) if expiration.candidature else ""

    @admin.display(description=gettext_lazy("promotion"))
    def promotion(self, expiration: Expiration) -> str:
        return expiration.candidature.promotion.nom if expiration.candidature else ""

    @admin.action(description=gettext_lazy("Approuver et anonymiser"), permissions=["approuver"])
    def approuver(self, request, queryset):
        nombre = services.approuver(queryset, par=request.user)
        messages.success(
            request,
            ngettext(
                "%(n)s élément approuvé : son anonymisation est en cours.",
                "%(n)s éléments approuvés : leur anonymisation est en cours.",
                nombre,
            )
            % {"n": nombre},
        )

    def has_approuver_permission(self, request) -> bool:
        # The pilot answers for the programme's records (and the archives' approval): the pilot approves.
        return request.user.is_superuser or est_pilote(request.user)

    def has_add_permission(self, request):
        return False  # listed by the daily job only

    def has_change_permission(self, request, obj=None):
        return False  # approved through the action, which anonymises; nothing else changes

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DemandeEffacement)
class DemandeEffacementAdmin(admin.ModelAdmin):
    """Erasure requests from the participants' space; an engineer accepts or refuses each, the person is told."""

    form = TraitementDemandeForm
    list_display = ["__str__", "demandeur", "demandee_le", "statut", "traitee_par", "traitee_le"]
    list_filter = ["statut"]
    list_select_related = ["utilisateur", "traitee_par"]
    readonly_fields = ["demandeur", "situation", "message", "demandee_le", "statut", "traitee_par", "traitee_le"]
    fields = [*readonly_fields, "decision", "motif_refus"]

    @admin.display(description=gettext_lazy("demandeur"))
    def demandeur(self, demande: DemandeEffacement) -> str:
        return f"{demande.utilisateur} <{demande.utilisateur.email}>"

    @admin.display(description=gettext_lazy("candidatures et binômes"))
    def situation(self, demande: DemandeEffacement) -> str:
        """What accepting would anonymise: the person's applications, and their pairs with their state."""
        candidatures = demande.utilisateur.candidatures.select_related("promotion").annotate(
            en_binome=Exists(Binome.objects.filter(mentor=OuterRef("pk")))
            | Exists(Binome.objects.filter(mentore=OuterRef("pk")))
        )
        lignes = [
            (c.promotion.nom, c.get_role_display(), c.get_statut_display()) for c in candidatures.order_by("cree_le")
        ]
        binomes = [
            (b.promotion.nom, _("binôme"), b.get_statut_display())
            for b in Binome.objects.de_l_utilisateur(demande.utilisateur).select_related("promotion")
        ]
        return format_html_join("", "<p>{} — {} : {}</p>", lignes + binomes) or _("Aucune candidature.")

    def get_fields(self, request, obj=None):
        if obj is not None and obj.statut != StatutDemande.EN_ATTENTE:
            return [*self.readonly_fields, "motif_refus"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.statut != StatutDemande.EN_ATTENTE:
            return [*self.readonly_fields, "motif_refus"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if form.cleaned_data["decision"] == TraitementDemandeForm.ACCEPTER:
            services.accepter_demande(demande=obj, par=request.user)
        else:
            services.refuser_demande(demande=obj, par=request.user, motif=form.cleaned_data["motif_refus"])

    def has_module_permission(self, request):
        return est_ingenieur(request.user) or request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return (est_ingenieur(request.user) or request.user.is_superuser) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        permis = (est_ingenieur(request.user) or request.user.is_superuser) and super().has_change_permission(
            request, obj
        )
        return permis and (obj is None or obj.statut == StatutDemande.EN_ATTENTE)

    def has_add_permission(self, request):
        return False  # requests come from the person's space

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a request answered is kept
