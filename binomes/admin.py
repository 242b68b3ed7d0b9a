"""The committee's screens: pairs, exclusions, charter, and the matching screens added to the pairs' admin."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from candidatures.departements import carte, departements, distance_km
from candidatures.models import Candidature, Role, Statut
from mentorat import graphiques
from mentorat.admin_journal import JournaliseAdmin
from mentorat.admin_listes import CaseACocherDirecte, LignesEnCache
from mentorat.models import Corps, Promotion, Utilisateur

from . import services
from .forms import ExclusionForm, FiltresPropositionForm, LigneForm, LigneManuelleForm, ValidationForm
from .matrice import Matrice, calculer_matrice, laisses_de_cote
from .models import Binome, Charte, Engagement, Exclusion, LigneProposition, Proposition
from .rules import peut_apparier

PAIRES_PAR_PAGE = 100
LIGNES_PAR_PAGE = 100


@dataclass
class LigneAffichee:
    """A line of the draft as the matching screen shows it: the score split by criterion, distance, small map."""

    ligne: LigneProposition
    distance: int | None
    barre: SafeString
    carte: SafeString


def _ligne_affichee(ligne: LigneProposition) -> LigneAffichee:
    fond, mentore, mentor = carte(), ligne.mentore.departement, ligne.mentor.departement
    return LigneAffichee(
        ligne=ligne,
        distance=distance_km(mentore, mentor),
        barre=graphiques.barre_score(ligne.points),
        carte=graphiques.carte_binome(fond, fond.position(mentore), fond.position(mentor)),
    )


def _totaux(lignes: list[LigneAffichee]) -> dict:
    distances = [ligne.distance for ligne in lignes if ligne.distance is not None]
    corps = Counter(ligne.ligne.mentore.corps for ligne in lignes)
    return {
        "nombre": len(lignes),
        "score": sum(ligne.ligne.score for ligne in lignes),
        "score_moyen": round(sum(ligne.ligne.score for ligne in lignes) / len(lignes)) if lignes else 0,
        "distance_moyenne": round(sum(distances) / len(distances)) if distances else None,
        "par_corps": [(c.label, corps[c.value]) for c in Corps if corps[c.value]],
        "mixtes": sum(ligne.ligne.mentore.corps != ligne.ligne.mentor.corps for ligne in lignes),
    }


def _filtrer(lignes: list[LigneAffichee], filtres: dict) -> list[LigneAffichee]:
    def garder(affichee: LigneAffichee) -> bool:
        ligne = affichee.ligne
        if filtres.get("corps") and ligne.mentore.corps != filtres["corps"]:
            return False
        if filtres.get("region") and filtres["region"] not in (ligne.mentore.region, ligne.mentor.region):
            return False
        return filtres.get("score_max") is None or ligne.score < filtres["score_max"]

    return [ligne for ligne in lignes if garder(ligne)]


class ReferentFilter(admin.SimpleListFilter):
    """The pairs of one referent: the engineers, each listed once (not every account of the site)."""

    title = gettext_lazy("ingénieur référent")
    parameter_name = "referent"

    def lookups(self, request, model_admin):
        return [(str(i.pk), str(i)) for i in Utilisateur.objects.ingenieurs().order_by("nom", "prenom", "pk")]

    def queryset(self, request, queryset):
        valeur = self.value()
        if valeur is None:
            return queryset
        return queryset.filter(referent_id=int(valeur)) if valeur.isdecimal() else queryset.none()


class PairesTriees(Sequence[tuple[int, int]]):
    """Every mentee × mentor pair as (row, column), mentees in order, each one's possible partners best first
    and the excluded ones last; a page's pairs are computed when asked, never the millions of a large promotion."""

    def __init__(self, matrice: Matrice):
        self.matrice = matrice
        self.largeur = len(matrice.mentors)
        self._ordres: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.matrice.mentores) * self.largeur

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(index, slice):
            return [self._paire(k) for k in range(len(self))[index]]
        return self._paire(range(len(self))[index])

    def _paire(self, k: int) -> tuple[int, int]:
        i = k // self.largeur
        if i not in self._ordres:
            cle = np.where(self.matrice.codes[i] == 0, -self.matrice.scores[i].astype(np.int32), 1)
            self._ordres[i] = np.argsort(cle, kind="stable")
        return i, int(self._ordres[i][k % self.largeur])


class EngagementInline(admin.TabularInline):
    model = Engagement
    extra = 0
    can_delete = False
    readonly_fields = ["utilisateur", "charte", "charte_signee_le", "absence_enjeux_confirmee_le"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Binome)
class BinomeAdmin(LignesEnCache, CaseACocherDirecte, JournaliseAdmin, admin.ModelAdmin):
    # Bounded at national scale: 25 rows a page (each row costs the admin a dozen formatted cells), and no second
    # COUNT of the whole table beside the filtered one.
    list_per_page = 25
    show_full_result_count = False
    list_display = ["__str__", "promotion", "statut", "score", "referent", "decide_le"]
    list_filter = ["promotion", "statut", ReferentFilter]
    list_select_related = ["promotion", "referent", "mentor__utilisateur", "mentore__utilisateur"]
    tables_des_lignes = (Promotion, Candidature, Utilisateur)  # the promotion, the members' and referent's names
    search_fields = ["mentor__utilisateur__nom", "mentore__utilisateur__nom"]
    readonly_fields = [
        "promotion",
        "mentor",
        "mentore",
        "statut",
        "score",
        "raisons_du_score",
        "decide_par",
        "decide_le",
        "motif_decision",
        "arret_demande_par",
        "arret_demande_le",
        "motif_arret",
        "date_arret",
        "arret_enregistre_par",
    ]
    fields = ["referent", *readonly_fields]
    inlines = [EngagementInline]
    change_list_template = "binomes/admin/binome_change_list.html"
    journal_des_formulaires = False  # the referent's change is journaled by services.changer_referent

    def has_add_permission(self, request):
        # Pairs are born from a validated proposal only (see the matching screen).
        return False

    @admin.display(description=gettext_lazy("raisons du score"))
    def raisons_du_score(self, binome: Binome):
        if not binome.raisons:
            return _("Aucune raison enregistrée.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((raison,) for raison in binome.raisons)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "referent":
            # Only an engineer follows a pair: a forged id of anyone else is refused with this message.
            # Binome.clean() and services.changer_referent refuse anyone else too.
            kwargs["queryset"] = Utilisateur.objects.ingenieurs().order_by("nom", "prenom")
            kwargs["error_messages"] = {
                "invalid_choice": _("Le référent doit être un ingénieur ou une ingénieure en mentorat actif.")
            }
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.changer_referent(binome=obj, referent=obj.referent, par=request.user)

    def get_urls(self):
        vue = self.admin_site.admin_view
        urls = [
            path("appariement/", vue(self.promotions), name="binomes_appariement"),
            path("appariement/<int:promotion_id>/", vue(self.proposition), name="binomes_proposition"),
            path("appariement/<int:promotion_id>/paires/", vue(self.paires), name="binomes_paires"),
            path("appariement/<int:promotion_id>/proposer/", vue(self.proposer), name="binomes_proposer"),
            path("appariement/<int:promotion_id>/ajouter/", vue(self.ajouter), name="binomes_ajouter"),
            path("appariement/<int:promotion_id>/echanger/", vue(self.echanger), name="binomes_echanger"),
            path("appariement/<int:promotion_id>/valider/", vue(self.valider), name="binomes_valider"),
            path("appariement/<int:promotion_id>/exclure/", vue(self.exclure), name="binomes_exclure"),
            path(
                "appariement/<int:promotion_id>/lignes/<int:ligne_id>/retirer/",
                vue(self.retirer),
                name="binomes_retirer",
            ),
            path(
                "appariement/<int:promotion_id>/lignes/<int:ligne_id>/modifier/",
                vue(self.modifier),
                name="binomes_modifier",
            ),
        ]
        return urls + super().get_urls()

    # --- helpers -----------------------------------------------------------

    def _promotion(self, request, promotion_id: int) -> Promotion:
        if not peut_apparier(request.user):
            raise PermissionDenied
        return get_object_or_404(Promotion, pk=promotion_id)

    def _contexte(self, request, titre: str, **extra) -> dict:
        return {**self.admin_site.each_context(request), "title": titre, "opts": self.model._meta, **extra}

    def _retour(self, promotion: Promotion):
        return redirect("admin:binomes_proposition", promotion_id=promotion.pk)

    def _appliquer(self, request, promotion: Promotion, action, succes: str):
        try:
            action()
        except services.AppariementRefuse as refus:
            messages.error(request, str(refus))
        else:
            messages.success(request, succes)
        return self._retour(promotion)

    # --- screens -----------------------------------------------------------

    def promotions(self, request):
        if not peut_apparier(request.user):
            raise PermissionDenied
        retenues = Q(candidatures__statut=Statut.RETENUE)
        promotions = Promotion.objects.annotate(
            mentores=Count("candidatures", filter=retenues & Q(candidatures__role=Role.MENTORE), distinct=True),
            mentors=Count("candidatures", filter=retenues & Q(candidatures__role=Role.MENTOR), distinct=True),
            nombre_binomes=Count("binomes", distinct=True),
        )
        contexte = self._contexte(request, _("Appariement : choisir une promotion"), promotions=promotions)
        return TemplateResponse(request, "binomes/admin/promotions.html", contexte)

    def proposition(self, request, promotion_id: int):
        promotion = self._promotion(request, promotion_id)
        proposition = Proposition.objects.filter(promotion=promotion).select_related("calculee_par").first()
        lignes = (
            [
                _ligne_affichee(ligne)
                for ligne in proposition.lignes.select_related(
                    "mentore__utilisateur", "mentor__utilisateur", "referent"
                ).order_by("mentore__utilisateur__nom", "pk")
            ]
            if proposition
            else []
        )
        mentores_seuls = laisses_de_cote(promotion, proposition, Role.MENTORE)
        mentors_seuls = laisses_de_cote(promotion, proposition, Role.MENTOR)
        # Each engineer's load: the promotion's validated pairs and the draft's lines already given to them.
        ingenieurs = list(Utilisateur.objects.ingenieurs_par_charge(promotion))
        du_brouillon = Counter(a.ligne.referent_id for a in lignes if a.ligne.referent_id)
        for ingenieur in ingenieurs:
            ingenieur.charge = ingenieur.nombre_binomes + du_brouillon[ingenieur.pk]
        ingenieurs.sort(key=lambda i: (i.charge, i.nom, i.prenom, i.pk))
        regions = sorted({d.region for d in departements().values()})
        filtres = FiltresPropositionForm(request.GET or None, regions=regions)
        choisis = filtres.cleaned_data if filtres.is_valid() else {}
        affichees = _filtrer(lignes, choisis)
        page = Paginator(affichees, LIGNES_PAR_PAGE).get_page(request.GET.get("page"))
        requete = request.GET.copy()
        requete.pop("page", None)
        contexte = self._contexte(
            request,
            _("Appariement de la promotion %(nom)s") % {"nom": promotion.nom},
            promotion=promotion,
            proposition=proposition,
            lignes=page.object_list,
            page=page,
            requete=requete.urlencode(),
            filtres=filtres,
            seulement_les_seuls=choisis.get("afficher") == "seuls",
            totaux=_totaux(lignes),
            totaux_affiches=_totaux(affichees) if len(affichees) != len(lignes) else None,
            fond_de_carte=graphiques.symbole_carte(carte()),
            mentores_seuls=mentores_seuls,
            mentors_seuls=mentors_seuls,
            ingenieurs=ingenieurs,
            referent_suggere=ingenieurs[0] if ingenieurs else None,
            binomes=Binome.objects.filter(promotion=promotion).select_related(
                "mentor__utilisateur", "mentore__utilisateur", "referent"
            ),
            form_ajout=LigneManuelleForm(
                mentores=[c for c in mentores_seuls if c.utilisateur.email_confirme],
                mentors=[c for c in mentors_seuls if c.utilisateur.email_confirme],
            ),
            form_validation=ValidationForm(),
        )
        return TemplateResponse(request, "binomes/admin/proposition.html", contexte)

    def paires(self, request, promotion_id: int):
        promotion = self._promotion(request, promotion_id)
        matrice = calculer_matrice(promotion)
        page = Paginator(PairesTriees(matrice), PAIRES_PAR_PAGE).get_page(request.GET.get("page"))
        paires = [
            {
                "mentore": matrice.mentores[i],
                "mentor": matrice.mentors[j],
                "score": int(matrice.scores[i, j]),
                "raisons": matrice.raisons(i, j),
                "exclusion": matrice.motif(i, j),
            }
            for i, j in page.object_list
        ]
        contexte = self._contexte(
            request,
            _("Paires possibles de la promotion %(nom)s") % {"nom": promotion.nom},
            promotion=promotion,
            paires=paires,
            page=page,
            exclusions=Exclusion.objects.filter(promotion=promotion).select_related(
                "mentore__utilisateur", "mentor__utilisateur", "cree_par"
            ),
            form_exclusion=ExclusionForm(mentores=matrice.mentores, mentors=matrice.mentors),
        )
        return TemplateResponse(request, "binomes/admin/paires.html", contexte)

    # --- actions (POST) ----------------------------------------------------

    @staticmethod
    def _proposition_de(promotion: Promotion) -> Proposition:
        proposition = Proposition.objects.filter(promotion=promotion).first()
        if proposition is None:
            raise services.AppariementRefuse(_("Calculez d'abord une proposition d'appariement."))
        return proposition

    @staticmethod
    def _erreurs(form) -> str:
        return " ".join(f"{form.fields[champ].label} : {' '.join(e)}" for champ, e in form.errors.items())

    @method_decorator(require_POST)
    def proposer(self, request, promotion_id: int):
        promotion = self._promotion(request, promotion_id)
        return self._appliquer(
            request,
            promotion,
            lambda: services.proposer_appariement(promotion=promotion, par=request.user),
            _("Proposition calculée : relisez-la, modifiez-la si besoin, puis validez-la."),
        )

    @method_decorator(require_POST)
    def ajouter(self, request, promotion_id: int):
        promotion = self._promotion(request, promotion_id)
        form = LigneManuelleForm(request.POST)

        def action():
            if not form.is_valid():
                raise services.AppariementRefuse(self._erreurs(form))
            services.ajouter_ligne(proposition=self._proposition_de(promotion), par=request.user, **form.cleaned_data)

        return self._appliquer(request, promotion, action, _("Binôme ajouté à la proposition et verrouillé."))

    @method_decorator(require_POST)
    def echanger(self, request, promotion_id: int):
        promotion = self._promotion(request, promotion_id)

        def action():
            # A forged value that is not a number must be refused like any wrong choice, not end in an error 500.
            choisies = [pk for pk in request.POST.getlist("lignes") if pk.isdecimal()]
            lignes = LigneProposition.objects.filter(proposition__promotion=promotion, pk__in=choisies).select_related(
                "proposition__promotion", "mentore__utilisateur", "mentor__utilisateur"
            )
            if len(lignes) != 2:
                raise services.AppariementRefuse(_("Cochez exactement deux lignes de cette proposition à échanger."))
            services.echanger_mentors(ligne_a=lignes[0], ligne_b=lignes[1], par=request.user)

        return self._appliquer(request, promotion, action, _("Les mentors des deux lignes ont été échangés."))

    @method_decorator(require_POST)
    def retirer(self, request, promotion_id: int, ligne_id: int):
        promotion = self._promotion(request, promotion_id)
        ligne = get_object_or_404(LigneProposition, pk=ligne_id, proposition__promotion=promotion)
        return self._appliquer(
            request,
            promotion,
            lambda: services.retirer_ligne(ligne=ligne, par=request.user),
            _("Ligne retirée de la proposition."),
        )

    @method_decorator(require_POST)
    def modifier(self, request, promotion_id: int, ligne_id: int):
        promotion = self._promotion(request, promotion_id)
        ligne = get_object_or_404(LigneProposition, pk=ligne_id, proposition__promotion=promotion)
        form = LigneForm(request.POST)

        def action():
            if not form.is_valid():
                raise services.AppariementRefuse(self._erreurs(form))
            services.modifier_ligne(ligne=ligne, par=request.user, **form.cleaned_data)

        return self._appliquer(request, promotion, action, _("Ligne mise à jour."))

    @method_decorator(require_POST)
    def valider(self, request, promotion_id: int):
        promotion = self._promotion(request, promotion_id)
        form = ValidationForm(request.POST)

        def action():
            if not form.is_valid():
                raise services.AppariementRefuse(self._erreurs(form))
            proposition = self._proposition_de(promotion)
            services.valider_proposition(proposition=proposition, par=request.user, motif=form.cleaned_data["motif"])

        return self._appliquer(
            request, promotion, action, _("Les binômes sont validés ; chaque membre en est informé par courriel.")
        )

    @method_decorator(require_POST)
    def exclure(self, request, promotion_id: int):
        promotion = self._promotion(request, promotion_id)
        form = ExclusionForm(request.POST)

        def action():
            if not form.is_valid():
                raise services.AppariementRefuse(self._erreurs(form))
            services.exclure(promotion=promotion, par=request.user, **form.cleaned_data)

        self._appliquer(request, promotion, action, _("Exclusion enregistrée : ce binôme ne sera jamais proposé."))
        return redirect(reverse("admin:binomes_paires", args=[promotion.pk]))


@admin.register(Exclusion)
class ExclusionAdmin(JournaliseAdmin, admin.ModelAdmin):
    list_display = ["__str__", "promotion", "motif", "cree_par", "cree_le"]
    list_filter = ["promotion"]
    list_select_related = ["promotion", "mentore__utilisateur", "mentor__utilisateur", "cree_par"]
    readonly_fields = ["promotion", "mentore", "mentor", "cree_par", "cree_le"]

    def has_add_permission(self, request):
        return False  # recorded from the matching screen, which checks both candidates


@admin.register(Charte)
class CharteAdmin(JournaliseAdmin, admin.ModelAdmin):
    list_display = ["__str__", "publiee_le"]

    def get_readonly_fields(self, request, obj=None):
        # A signed text never changes: a new wording is a new version.
        return ["version", "texte", "publiee_le"] if obj else []
