import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Case, Exists, OuterRef, Prefetch, Value, When
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binomes import services as services_binomes
from binomes.models import Binome, StatutBinome
from binomes.rules import peut_enregistrer_arret
from candidatures.models import Candidature, Theme
from mentorat import fragments, pages_du_lecteur, surveillance
from mentorat.models import Promotion, Utilisateur
from mentorat.rules import est_ingenieur

from . import calendrier, couverture, evenements, exports, exports_differes, services, tableau
from .forms import (
    ChoixPromotionForm,
    EnregistrementArretForm,
    PresenceFormSet,
    RencontreForm,
    ReponseEvenementForm,
    TransmissionForm,
)
from .models import (
    EvenementCollectif,
    Export,
    JetonCalendrier,
    Participation,
    Rencontre,
    ReponseInvitation,
    StatutExport,
    Transmission,
    TypeExport,
)
from .rules import (
    peut_exporter_les_tableaux,
    peut_noter_rencontres,
    peut_suivre_les_binomes,
    peut_telecharger_export,
    peut_transmettre,
    peut_voir_suivi,
)

AVEC_PERSONNES = ("promotion", "mentor__utilisateur", "mentore__utilisateur", "referent")


def _avec_rencontres(binomes):
    return binomes.select_related(*AVEC_PERSONNES).prefetch_related(
        Prefetch("rencontres", queryset=Rencontre.objects.prefetch_related("themes")), "transmissions"
    )


def _pour_le_tableau_de_bord(binomes):
    """What a dashboard row shows, and no more: the meetings' dates and states (not their themes or notes)."""
    rencontres = Rencontre.objects.only("id", "binome_id", "date", "etat")
    return binomes.select_related(*AVEC_PERSONNES).prefetch_related(
        Prefetch("rencontres", queryset=rencontres), "transmissions"
    )


def get_mon_binome_ou_404(request) -> Binome:
    """The requesting member's most recent pair (confirmed ones first), or 404 for a person without one."""
    binome = (
        _avec_rencontres(Binome.objects.de_l_utilisateur(request.user))
        .annotate(propose=Case(When(statut=StatutBinome.PROPOSE, then=Value(1)), default=Value(0)))
        .order_by("propose", "-promotion__journee_lancement")
        .first()
    )
    if binome is None:
        raise Http404(_("Vous ne faites partie d'aucun binôme."))
    return binome


def get_rencontre_ou_404(request, pk: int) -> Rencontre:
    """A meeting of a pair the requesting user belongs to and may edit; 404 for anyone else's."""
    rencontre = get_object_or_404(
        Rencontre.objects.select_related(*(f"binome__{c}" for c in AVEC_PERSONNES)).filter(
            binome__in=Binome.objects.de_l_utilisateur(request.user)
        ),
        pk=pk,
    )
    if not peut_noter_rencontres(request.user, rencontre.binome):
        raise Http404
    return rencontre


def get_binome_suivi_ou_404(request, pk: int) -> Binome:
    binome = get_object_or_404(_avec_rencontres(Binome.objects.all()), pk=pk)
    if not peut_voir_suivi(request.user, binome):
        raise Http404
    return binome


def _page_tableau(request, binome, gabarit="suivi/rencontres.html", **contexte):
    return render(
        request,
        gabarit,
        {
            "page_title": _("Tableau de suivi des rencontres"),
            "tableau": tableau.construire(binome, timezone.localdate(), avec_frise=True),
            "peut_noter": peut_noter_rencontres(request.user, binome),
            "peut_transmettre": peut_transmettre(request.user, binome),
            "transmissions": binome.transmissions.all(),
            # The themes wished at application that held meetings covered (tracking data, as the meetings' themes).
            "couverture": couverture.du_binome(binome),
            **contexte,
        },
    )


def _pas_de_rencontre(request, binome):
    """Why this pair cannot log a meeting (not confirmed yet, stopped, finished), said in French."""
    return render(
        request,
        "suivi/rencontres_impossibles.html",
        {"binome": binome, "promotion": binome.promotion, "page_title": _("Noter une rencontre")},
    )


# Every table the member's meetings page shows (the reader's own account and groups are in `pages_du_lecteur`'s key):
# the pair and its people (their accounts too), its meetings and their themes, its transmissions, the themes wished at
# application.
TABLES_DES_RENCONTRES = (
    Promotion,
    Utilisateur,
    Binome,
    Candidature,
    Candidature.themes.through,
    Rencontre,
    Rencontre.themes.through,
    Theme,
    Transmission,
)


@login_required
def rencontres(request):
    """The member's tracking table, kept in the cache per member until a table it shows changes."""
    return pages_du_lecteur.servir_selon_les_tables(request, TABLES_DES_RENCONTRES, lambda: _rencontres(request))


def _rencontres(request):
    binome = get_mon_binome_ou_404(request)
    if binome.statut == StatutBinome.PROPOSE:
        return _pas_de_rencontre(request, binome)
    return _page_tableau(request, binome, form_transmission=TransmissionForm())


@login_required
def ajouter(request):
    binome = get_mon_binome_ou_404(request)
    if not peut_noter_rencontres(request.user, binome):
        return _pas_de_rencontre(request, binome)
    form = RencontreForm(request.POST or None, binome=binome)
    if form.is_valid():
        try:
            services.enregistrer_rencontre(binome=binome, par=request.user, **form.cleaned_data)
        except IntegrityError:  # the same day logged by the other member a moment ago
            form.add_error("date", _("Une rencontre est déjà notée à cette date pour votre binôme."))
        else:
            messages.success(request, _("La rencontre est notée."))
            return redirect("suivi:rencontres")
    return render(request, "suivi/rencontre_form.html", {"form": form, "page_title": _("Noter une rencontre")})


@login_required
def modifier(request, pk):
    rencontre = get_rencontre_ou_404(request, pk)
    form = RencontreForm(request.POST or None, instance=rencontre, binome=rencontre.binome)
    if form.is_valid():
        try:
            services.modifier_rencontre(rencontre=rencontre, par=request.user, **form.cleaned_data)
        except IntegrityError:
            form.add_error("date", _("Une rencontre est déjà notée à cette date pour votre binôme."))
        else:
            messages.success(request, _("La rencontre est modifiée."))
            return redirect("suivi:rencontres")
    return render(
        request, "suivi/rencontre_form.html", {"form": form, "rencontre": rencontre, "page_title": _("Modifier")}
    )


@login_required
def supprimer(request, pk):
    rencontre = get_rencontre_ou_404(request, pk)
    if request.method == "POST":
        services.supprimer_rencontre(rencontre=rencontre)
        messages.success(request, _("La rencontre est supprimée."))
        return redirect("suivi:rencontres")
    return render(request, "suivi/rencontre_supprimer.html", {"rencontre": rencontre, "page_title": _("Supprimer")})


@login_required
@require_POST
def marquer_tenue(request, pk):
    rencontre = get_rencontre_ou_404(request, pk)
    if rencontre.date > timezone.localdate():
        messages.error(request, _("Une rencontre à venir ne peut pas encore être marquée comme tenue."))
    else:
        services.marquer_rencontre_tenue(rencontre=rencontre, par=request.user)
        messages.success(request, _("La rencontre est marquée comme tenue."))
    return redirect("suivi:rencontres")


@login_required
@require_POST
def transmettre(request):
    binome = get_mon_binome_ou_404(request)
    if not peut_transmettre(request.user, binome):
        raise Http404
    form = TransmissionForm(request.POST)
    if not form.is_valid():
        return _page_tableau(request, binome, form_transmission=form, formulaire_en_erreur=True)
    transmission = services.transmettre_tableau(binome=binome, moment=form.cleaned_data["moment"], par=request.user)
    messages.success(
        request,
        _("Tableau transmis aux ingénieurs le %(date)s.")
        % {"date": timezone.localtime(transmission.transmise_le).strftime("%d/%m/%Y")},
    )
    return redirect("suivi:rencontres")


# A page a person reads at a glance, and that the server draws quickly (a timeline per pair): the rest is paginated.
BINOMES_PAR_PAGE = 25
# Seconds the dashboard's list stays cached at most (its key changes with the data anyway).
DUREE_DU_TABLEAU = 600


def _promotion_choisie(form, aujourd_hui):
    """The promotion asked for; else the one whose year is running, else the latest one that has pairs."""
    if form.is_valid() and form.cleaned_data["promotion"]:
        return form.cleaned_data["promotion"]
    # A semi-join (EXISTS), not a join made DISTINCT: the database stops at each promotion's first pair.
    avec_binomes = Promotion.objects.filter(Exists(Binome.objects.filter(promotion=OuterRef("pk"))))
    return (
        avec_binomes.dont_l_annee_court(aujourd_hui).first()
        or avec_binomes.order_by("-est_courante", "-journee_lancement").first()
    )


def _binomes_suivis(request, form, promotion, aujourd_hui):
    """The pairs of `promotion` the dashboard lists with its filters, most urgent first (`exports.binomes_suivis`)."""
    return exports.binomes_suivis(promotion, aujourd_hui, **_filtres(request, form))


def _filtres(request, form) -> dict:
    if not form.is_valid():
        return {}
    return {
        "referent": request.user if form.cleaned_data["mes_binomes"] else None,
        "situation": form.cleaned_data["situation"] or "",
    }


def _filtres_export(form) -> str:
    """The dashboard's filters other than the promotion (which is in the exports' URL), as a query string."""
    if not form.is_valid():
        return ""
    filtres = {
        "mes_binomes": "on" if form.cleaned_data["mes_binomes"] else "",
        "situation": form.cleaned_data["situation"],
    }
    return urlencode({cle: valeur for cle, valeur in filtres.items() if valeur})


def _page_du_tableau(request, form, promotion, aujourd_hui):
    """The page of pairs asked for, ordered by urgency in the database, and the table of each of its pairs."""
    binomes = _binomes_suivis(request, form, promotion, aujourd_hui)
    page = Paginator(binomes, BINOMES_PAR_PAGE).get_page(request.GET.get("page"))
    page_seule = tableau.page_par_urgence(page.object_list, promotion, aujourd_hui)
    page.object_list = couverture.avec_couverture(_pour_le_tableau_de_bord(page_seule))
    return page, [tableau.construire(b, aujourd_hui, avec_frise=True) for b in page.object_list]


def cle_du_tableau(request, promotion, peut_exporter: bool) -> str | None:
    """The cache key of the dashboard's list of pairs (`suivi/tableau_de_bord.html`), or None: not cached.

    The list is the same for every engineer (who all follow every pair) but for « mes binômes », keyed on the
    reader. The key holds the promotion, the whole query string (filters and page), the reader where « mes
    binômes » is asked, whether the reader may export, the day (silences are counted to today), the language and
    the version of every table a row shows."""
    version = fragments.version_des_donnees(
        Promotion,
        Binome,
        Rencontre,
        Rencontre.themes.through,
        Candidature,
        Candidature.themes.through,
        Transmission,
        Utilisateur,
    )
    if version is None:
        return None
    lecteur = request.user.pk if request.GET.get("mes_binomes") else "-"
    parties = [promotion.pk, request.GET.urlencode(), lecteur, peut_exporter, timezone.localdate(), get_language()]
    return ":".join(map(str, [*parties, version]))


@login_required
def tableau_de_bord(request):
    if not peut_suivre_les_binomes(request.user):
        raise PermissionDenied
    aujourd_hui = timezone.localdate()
    form = ChoixPromotionForm(request.GET or None, promotions=list(Promotion.objects.all()))
    promotion = _promotion_choisie(form, aujourd_hui)
    form.fields["promotion"].initial = promotion.pk if promotion else None
    peut_exporter = peut_exporter_les_tableaux(request.user)
    contexte = {"page_title": _("Suivi des binômes"), "form": form, "promotion": promotion, "tableaux": []}
    if promotion is not None:
        # Read only when the cache has not the list for this key (`cle_du_tableau`): a page of pairs, ordered by
        # urgency in the database, reads only its own pairs' meetings.
        calcul = functools.cache(lambda: _page_du_tableau(request, form, promotion, aujourd_hui))
        contexte["page"] = SimpleLazyObject(lambda: calcul()[0])
        contexte["tableaux"] = SimpleLazyObject(lambda: calcul()[1])
        contexte["cle_du_tableau"] = cle_du_tableau(request, promotion, peut_exporter)
        contexte["duree_du_tableau"] = DUREE_DU_TABLEAU
        filtres = request.GET.copy()
        filtres.pop("page", None)
        contexte["filtres"] = filtres.urlencode()
        # The exports hold the pairs this page lists: the same filters, but the promotion is in their URL.
        contexte["filtres_export"] = _filtres_export(form)
    contexte["peut_exporter"] = peut_exporter
    contexte["seuil_arriere_plan"] = exports.SEUIL_ARRIERE_PLAN
    if est_ingenieur(request.user):
        # The machinery's state, for the engineers who watch it: e-mails given up or late, the beat's last runs.
        contexte["courriels_en_souffrance"] = surveillance.en_souffrance()
        contexte["taches_periodiques"] = surveillance.dernieres_executions_lisibles()
    return render(request, "suivi/tableau_de_bord.html", contexte)


@login_required
def binome(request, pk):
    binome = get_binome_suivi_ou_404(request, pk)
    return _page_tableau(
        request,
        binome,
        gabarit="suivi/binome.html",
        peut_enregistrer_arret=peut_enregistrer_arret(request.user, binome),
    )


@login_required
def enregistrer_arret(request, pk):
    """The referent records the early stop from the pair's tracking page: date, reason, the last meeting."""
    binome = get_binome_suivi_ou_404(request, pk)
    if not peut_enregistrer_arret(request.user, binome):
        if binome.est_clos and peut_voir_suivi(request.user, binome):
            messages.info(request, _("Ce binôme est déjà clos : son arrêt ou sa fin est enregistré."))
            return redirect("suivi:binome", pk=binome.pk)
        raise Http404
    form = EnregistrementArretForm(request.POST or None, binome=binome)
    if form.is_valid():
        donnees = form.cleaned_data
        try:
            services_binomes.enregistrer_arret(
                binome=binome,
                par=request.user,
                date=donnees["date"],
                motif=donnees["motif"],
                note=donnees["note"],
                derniere_rencontre_le=donnees["derniere_rencontre_le"],
                sans_derniere_rencontre=donnees["sans_derniere_rencontre"],
            )
        except services_binomes.BinomeRefuse as refus:  # closed meanwhile, by another engineer
            messages.error(request, str(refus))
        else:
            messages.success(
                request,
                _("L'arrêt du binôme est enregistré ; ses deux membres en sont informés par courriel."),
            )
        return redirect("suivi:binome", pk=binome.pk)
    return render(
        request,
        "suivi/arret.html",
        {"binome": binome, "form": form, "page_title": _("Enregistrer l'arrêt du binôme")},
    )


def _promotion_exportee(request, pk):
    """The promotion whose tables are exported, and the dashboard's filters (`?mes_binomes=on&situation=…`)."""
    if not peut_exporter_les_tableaux(request.user):
        raise Http404  # as for a pair's own pages: nothing tells an outsider the export exists
    promotion = get_object_or_404(Promotion, pk=pk)
    donnees = {
        "promotion": promotion.pk,
        "mes_binomes": request.GET.get("mes_binomes", ""),
        "situation": request.GET.get("situation", ""),
    }
    return promotion, _filtres(request, ChoixPromotionForm(donnees, promotions=[promotion]))


def _exporter(request, pk, type_export: str):
    """Small exports are answered at once; a large one is produced by a Celery task, followed on its page."""
    promotion, filtres = _promotion_exportee(request, pk)
    nombre = exports.nombre_de_binomes(promotion, **filtres)
    format_ = "PDF" if type_export == TypeExport.TABLEAUX_PDF else "CSV"
    if nombre > exports.SEUIL_ARRIERE_PLAN:
        export = services.demander_export(
            promotion=promotion,
            par=request.user,
            type_export=type_export,
            filtres={"mes_binomes": filtres.get("referent") is not None, "situation": filtres.get("situation", "")},
            nombre_de_binomes=nombre,
        )
        return redirect("suivi:export", pk=export.pk)
    exports_differes.journaliser_tableaux(request.user, promotion, nombre, format_)
    aujourd_hui = timezone.localdate()
    if type_export == TypeExport.TABLEAUX_PDF:
        reponse = HttpResponse(exports.pdf_des_tableaux(promotion, aujourd_hui, **filtres), "application/pdf")
    else:
        reponse = HttpResponse(exports.csv_des_tableaux(promotion, aujourd_hui, **filtres), "text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="tableaux-de-suivi-{promotion.pk}.{format_.lower()}"'
    return reponse


@login_required
def export_csv(request, pk):
    return _exporter(request, pk, TypeExport.TABLEAUX_CSV)


@login_required
def export_pdf(request, pk):
    return _exporter(request, pk, TypeExport.TABLEAUX_PDF)


def get_export_ou_404(request, pk) -> Export:
    """An export not expired, for those who may download it; 404 for anyone else (nothing says it exists)."""
    export = get_object_or_404(Export.objects.select_related("promotion").defer("contenu"), pk=pk)
    if not peut_telecharger_export(request.user, export) or export.est_expire(timezone.now()):
        raise Http404
    return export


@login_required
def export(request, pk):
    """The export's progress (refreshed by `static/suivi/export.js`, or by the button without JavaScript), then
    its download link."""
    export = get_export_ou_404(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"statut": export.statut, "progression": export.progression})
    genre = exports_differes.genre(export)
    url_retour, retour = genre.retour(export)
    contexte = {"export": export, "page_title": genre.titre, "url_retour": url_retour, "retour": retour}
    return render(request, "suivi/export.html", contexte)


@login_required
def telecharger_export(request, pk):
    export = get_export_ou_404(request, pk)
    if export.statut != StatutExport.PRET:
        return redirect("suivi:export", pk=export.pk)
    contenu = Export.objects.values_list("contenu", flat=True).get(pk=export.pk)
    exports_differes.genre(export).journaliser(request.user, export)
    reponse = HttpResponse(bytes(contenu), content_type=export.type_mime)
    reponse["Content-Disposition"] = f'attachment; filename="{export.nom_de_fichier}"'
    return reponse


@login_required
def page_calendrier(request):
    jeton = services.jeton_calendrier(utilisateur=request.user)
    return render(
        request,
        "suivi/calendrier.html",
        {
            "page_title": _("Mon calendrier"),
            "url_flux": request.build_absolute_uri(reverse("suivi:ics", args=[jeton.jeton])),
            "evenements": calendrier.evenements_de(request.user),
        },
    )


@login_required
@require_POST
def regenerer_lien(request):
    services.regenerer_jeton_calendrier(utilisateur=request.user)
    messages.success(request, _("Un nouveau lien est créé ; l'ancien ne fonctionne plus."))
    return redirect("suivi:calendrier")


def ics(request, jeton):
    proprietaire = get_object_or_404(JetonCalendrier.objects.select_related("utilisateur"), jeton=jeton).utilisateur
    if not proprietaire.is_active:
        raise Http404
    reponse = HttpResponse(calendrier.ics_de(proprietaire), content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = 'attachment; filename="mentorat.ics"'
    return reponse


def _page_mes_evenements(request, formulaire: ReponseEvenementForm | None = None, statut: int = 200):
    participations = list(Participation.objects.de_l_utilisateur(request.user))
    maintenant = timezone.now()
    for p in participations:
        p.ouverte = p.evenement.debut > maintenant
        if formulaire is not None and formulaire.prefix == f"evenement-{p.evenement_id}":
            p.formulaire = formulaire
        else:
            p.formulaire = ReponseEvenementForm(evenement=p.evenement, initial={"reponse": p.reponse or None})
    contexte = {"page_title": _("Temps collectifs"), "participations": participations}
    return render(request, "suivi/evenements.html", contexte, status=statut)


@login_required
def mes_evenements(request):
    """The collective times the person is invited to, each with its answer form (2 queries)."""
    return _page_mes_evenements(request)


@login_required
@require_POST
def repondre_evenement(request, pk: int):
    participation = get_object_or_404(
        Participation.objects.select_related("evenement__promotion"), evenement_id=pk, utilisateur=request.user
    )
    form = ReponseEvenementForm(request.POST, evenement=participation.evenement)
    if not form.is_valid():
        return _page_mes_evenements(request, form)
    try:
        evenements.repondre(participation=participation, reponse=ReponseInvitation(form.cleaned_data["reponse"]))
    except evenements.ReponseTardive as erreur:
        messages.error(request, str(erreur))  # the page no longer shows the form: the message says why
        return redirect("suivi:evenements")
    messages.success(
        request,
        _("Votre réponse est enregistrée : %(reponse)s pour « %(evenement)s ».")
        % {"reponse": participation.get_reponse_display().lower(), "evenement": participation.evenement},
    )
    return redirect("suivi:evenements")


def _exiger_ingenieur(request) -> None:
    if not est_ingenieur(request.user):
        raise PermissionDenied


@login_required
def evenements_suivi(request):
    """The engineers' list of collective times with their answers and attendance: 1 query whatever their number."""
    _exiger_ingenieur(request)
    liste = evenements.avec_comptes(EvenementCollectif.objects.select_related("promotion")).order_by("-debut")
    return render(request, "suivi/evenements_suivi.html", {"page_title": _("Temps collectifs"), "evenements": liste})


def get_evenement_ou_404(request, pk: int) -> EvenementCollectif:
    """A collective time, for an engineer: attendance is theirs only (404 for anyone else)."""
    if not est_ingenieur(request.user):
        raise Http404
    return get_object_or_404(EvenementCollectif.objects.select_related("promotion"), pk=pk)


@login_required
def presences(request, pk: int):
    evenement = get_evenement_ou_404(request, pk)
    lignes = (
        Participation.objects.filter(evenement=evenement)
        .select_related("utilisateur")
        .order_by("utilisateur__nom", "utilisateur__prenom", "pk")
    )
    formset = PresenceFormSet(request.POST or None, queryset=lignes)
    if request.method == "POST" and formset.is_valid():
        valeurs = {f.instance.pk: f.cleaned_data.get("present") for f in formset.forms}
        changees = evenements.noter_presences(evenement=evenement, presences=valeurs, par=request.user)
        messages.success(
            request,
            ngettext(
                "Présences enregistrées : %(n)s modification.",
                "Présences enregistrées : %(n)s modifications.",
                changees,
            )
            % {"n": changees},
        )
        return redirect("suivi:presences", pk=evenement.pk)
    contexte = {
        "page_title": _("Présences"),
        "evenement": evenement,
        "formset": formset,
        "comptes": evenements.compter(evenement),
    }
    return render(request, "suivi/presences.html", contexte)


@login_required
@require_POST
def inviter(request, pk: int):
    evenement = get_evenement_ou_404(request, pk)
    nombre = evenements.inviter(evenement=evenement, par=request.user)
    messages.success(
        request, ngettext("%(n)s invitation envoyée.", "%(n)s invitations envoyées.", nombre) % {"n": nombre}
    )
    return redirect("suivi:evenements_suivi")
