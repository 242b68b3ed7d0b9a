from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat import fragments, journal, limites, pages_publiques
from mentorat.models import Promotion, Utilisateur

from . import eligibilite, places, services
from .forms import DeplacementForm, MentorForm, formulaire_du_role
from .models import Candidature, Role, Statut
from .rules import peut_gerer_les_places, peut_modifier_candidature, peut_retirer_candidature, peut_voir_candidature


def get_candidature_ou_404(request, pk: int) -> Candidature:
    """The applicant's own application, or 404 (another person's application does not exist for them)."""
    candidature = get_object_or_404(Candidature.objects.select_related("promotion"), pk=pk)
    if not peut_voir_candidature(request.user, candidature):
        raise Http404
    return candidature


@require_http_methods(["GET", "POST"])
def candidater(request, role: str):
    promotion, version = pages_publiques.promotion_courante(request)
    if promotion is None or not promotion.candidatures_ouvertes():
        return render(request, "candidatures/fermees.html", {"promotion": promotion, "page_title": _("Candidater")})
    if request.user.is_authenticated and request.user.candidatures.filter(promotion=promotion).exists():
        messages.info(request, _("Vous avez déjà déposé une candidature pour cette promotion."))
        return redirect("candidatures:mon_espace")
    anonyme = not request.user.is_authenticated
    if anonyme and request.method == "GET":
        # The anonymous empty form: its whole page from the cache (`mentorat.pages_publiques`), the form built and
        # rendered only when the page is not there yet.
        return pages_publiques.servir(
            request,
            fragments.cle(promotion, "candidature", role, version_lue=version),
            lambda: _page_candidater(
                request, formulaire_du_role(role)(promotion=promotion, compte=True), promotion, role
            ),
        )
    form = formulaire_du_role(role)(request.POST or None, promotion=promotion, compte=anonyme)
    reprise = None
    if role == Role.MENTOR and not anonyme:
        reprise = Candidature.objects.a_reprendre(request.user, promotion)
    return _traiter(request, form, promotion, role, {"reprise": reprise})


@login_required
@require_http_methods(["GET", "POST"])
def candidater_a_nouveau(request):
    """A mentor of an earlier promotion applies again: the form pre-filled with their last application's answers,
    which the rules of the new promotion check again (said at once, and again when the form is sent)."""
    promotion = Promotion.objects.courante()
    if promotion is None or not promotion.candidatures_ouvertes():
        return render(request, "candidatures/fermees.html", {"promotion": promotion, "page_title": _("Candidater")})
    if request.user.candidatures.filter(promotion=promotion).exists():
        messages.info(request, _("Vous avez déjà déposé une candidature pour cette promotion."))
        return redirect("candidatures:mon_espace")
    precedente = Candidature.objects.a_reprendre(request.user, promotion)
    if precedente is None:
        messages.info(request, _("Vous n'avez pas de candidature de mentor d'une promotion passée à reprendre."))
        return redirect("candidatures:candidater_mentor")
    form = MentorForm(request.POST or None, promotion=promotion)
    contexte = {"precedente": precedente}
    if request.method == "GET":
        form.reprendre(precedente)
        regles = eligibilite.Regles.de_la_promotion(promotion)
        contexte["motifs"] = eligibilite.verifier(services.dossier_de(Role.MENTOR, vars(precedente)), regles).motifs
    return _traiter(request, form, promotion, Role.MENTOR, contexte)


def _traiter(request, form, promotion, role, contexte: dict):
    """The application form sent or shown: a redirect once recorded, else the page with what was typed."""
    anonyme = not request.user.is_authenticated
    statut = 200
    if request.method == "POST" and form.is_valid():
        adresse = form.cleaned_data["email"] if anonyme else request.user.email
        # Each application mails its applicant (and creates an account): limited per address and per client.
        if not limites.autorise("candidature", request, adresse=adresse):
            form.add_error(None, limites.MESSAGE_TROP_DE_DEMANDES)
            statut = 429
        elif reponse := _soumettre(request, form, promotion, role, anonyme):
            return reponse
    return _page_candidater(request, form, promotion, role, statut, contexte)


def _soumettre(request, form, promotion, role, anonyme):
    """The submission of a valid form: a redirect to the applicant's space, or None (the refusal is on the form)."""
    try:
        candidature = services.soumettre_candidature(
            promotion=promotion,
            role=Role(role),
            donnees=form.donnees_candidature(),
            themes=form.cleaned_data["themes"],
            utilisateur=None if anonyme else request.user,
            compte=form.nouveau_compte() if anonyme else None,
        )
    except services.CandidatureRefusee as refus:
        form.add_error(None, str(refus))
        return None
    if anonyme:
        login(request, candidature.utilisateur, backend="mentorat.authentification.ComptesEtGroupes")
    messages.success(request, _("Votre candidature est enregistrée. Un accusé de réception vous a été envoyé."))
    return redirect("candidatures:mon_espace")


def _page_candidater(request, form, promotion, role, statut: int = 200, contexte: dict | None = None):
    titre = _("Candidater comme mentor") if role == Role.MENTOR else _("Candidater comme mentoré·e")
    if contexte and contexte.get("precedente"):
        titre = _("Candidater à nouveau comme mentor")
    contexte = {
        "form": form,
        "promotion": promotion,
        "role": role,
        "titre": titre,
        "page_title": titre,
        **(contexte or {}),
    }
    if not form.is_bound and not request.user.is_authenticated:
        # The empty form of an anonymous visitor is the same for all: its fields are cached (`mentorat.fragments`),
        # the CSRF token, outside the fragment, is each visitor's own.
        contexte.update(fragment=fragments.cle(promotion, "candidature", role), fragment_duree=fragments.DUREE)
    return render(request, "candidatures/candidater.html", contexte, status=statut)


@login_required
def mon_espace(request):
    candidatures = request.user.candidatures.select_related("promotion").prefetch_related("themes").order_by("-cree_le")
    lignes = [
        (c, peut_modifier_candidature(request.user, c), peut_retirer_candidature(request.user, c)) for c in candidatures
    ]
    promotion = Promotion.objects.courante()
    reprise = None
    if promotion and promotion.candidatures_ouvertes() and all(c.promotion_id != promotion.pk for c in candidatures):
        reprise = Candidature.objects.a_reprendre(request.user, promotion)
    return render(
        request,
        "candidatures/mon_espace.html",
        {"lignes": lignes, "promotion": promotion, "reprise": reprise, "page_title": _("Ma candidature")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, pk: int):
    candidature = get_candidature_ou_404(request, pk)
    if not peut_modifier_candidature(request.user, candidature):
        messages.error(request, _("Cette candidature ne peut plus être modifiée."))
        return redirect("candidatures:mon_espace")
    classe = formulaire_du_role(candidature.role)
    form = classe(request.POST or None, instance=candidature, promotion=candidature.promotion)
    if request.method == "POST" and form.is_valid():
        try:
            services.modifier_candidature(
                candidature=candidature, donnees=form.donnees_candidature(), themes=form.cleaned_data["themes"]
            )
        except services.CandidatureRefusee as refus:
            form.add_error(None, str(refus))
        else:
            messages.success(request, _("Vos modifications sont enregistrées."))
            if candidature.statut != Statut.SOUMISE:
                messages.info(
                    request,
                    _(
                        "Le comité avait déjà examiné votre candidature : il est prévenu de vos modifications et "
                        "les relira."
                    ),
                )
            return redirect("candidatures:mon_espace")
    titre = _("Modifier ma candidature")
    return render(
        request,
        "candidatures/candidater.html",
        {"form": form, "promotion": candidature.promotion, "titre": titre, "page_title": titre},
    )


@login_required
@require_http_methods(["GET", "POST"])
def retirer(request, pk: int):
    candidature = get_candidature_ou_404(request, pk)
    if not peut_retirer_candidature(request.user, candidature):
        messages.error(request, _("Cette candidature ne peut plus être retirée."))
        return redirect("candidatures:mon_espace")
    if request.method == "POST":
        try:
            services.retirer_candidature(candidature=candidature, par=request.user)
        except services.CandidatureRefusee as refus:
            messages.error(request, str(refus))
        else:
            messages.success(request, _("Votre candidature est retirée."))
        return redirect("candidatures:mon_espace")
    return render(
        request, "candidatures/retirer.html", {"candidature": candidature, "page_title": _("Retirer ma candidature")}
    )


def confirmer_email(request, uidb64: str, jeton: str):
    try:
        utilisateur = Utilisateur.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, Utilisateur.DoesNotExist):
        utilisateur = None
    confirme = utilisateur is not None and services.confirmer_email(utilisateur=utilisateur, jeton=jeton)
    return render(
        request,
        "candidatures/confirmation_email.html",
        {"confirme": confirme, "page_title": _("Confirmation de l'adresse électronique")},
        status=200 if confirme else 400,
    )


@login_required
@require_POST
def renvoyer_confirmation(request):
    if not limites.autorise("renvoi_confirmation", request, adresse=request.user.email):
        messages.error(request, limites.MESSAGE_TROP_DE_DEMANDES)
    elif services.renvoyer_confirmation_email(utilisateur=request.user):
        messages.success(
            request, _("Un nouveau lien de confirmation a été envoyé à %(email)s.") % {"email": request.user.email}
        )
    return redirect("candidatures:mon_espace")


def _promotion_du_comite(request, pk: int) -> Promotion:
    """The promotion, for the committee only (403 for anyone else, 404 for a promotion that does not exist)."""
    if not peut_gerer_les_places(request.user):
        raise PermissionDenied
    return get_object_or_404(Promotion, pk=pk)


def _candidature_en_attente(request, pk: int) -> Candidature:
    if not peut_gerer_les_places(request.user):
        raise PermissionDenied
    return get_object_or_404(Candidature.objects.select_related("promotion", "utilisateur"), pk=pk)


def _nom(candidature: Candidature) -> str:
    return candidature.utilisateur.get_full_name()


def _page_places(request, promotion: Promotion, erreurs: dict | None = None, statut: int = 200):
    """The places page; `erreurs` maps an application's pk to its bound, invalid move form (what was typed stays)."""
    erreurs = erreurs or {}
    attente = Candidature.objects.filter(promotion=promotion).en_liste_attente().select_related("utilisateur")
    lignes = [
        (c, erreurs.get(c.pk) or DeplacementForm(initial={"rang": c.rang_attente}, prefix=str(c.pk), nom=_nom(c)))
        for c in attente
    ]
    return render(
        request,
        "candidatures/places.html",
        {
            "promotion": promotion,
            "places": places.places_de(promotion),
            "lignes": lignes,
            "page_title": _("Places et liste d'attente"),
        },
        status=statut,
    )


@login_required
def places_promotion(request, pk: int):
    promotion = _promotion_du_comite(request, pk)
    # The page names every person on the waiting list: who looked, like the applications' detail.
    journal.consigner(
        journal.Action.CANDIDATURE_CONSULTEE, par=request.user, objet=promotion, details={"page": "places"}
    )
    return _page_places(request, promotion)


@login_required
@require_POST
def deplacer(request, pk: int):
    candidature = _candidature_en_attente(request, pk)
    if candidature.statut != Statut.LISTE_ATTENTE:
        messages.error(request, _("Cette personne n'est plus sur la liste d'attente."))
        return redirect("candidatures:places", candidature.promotion_id)
    form = DeplacementForm(request.POST, prefix=str(candidature.pk), nom=_nom(candidature))
    if form.is_valid():
        try:
            places.deplacer(candidature=candidature, rang=form.cleaned_data["rang"], par=request.user)
        except services.CandidatureRefusee as refus:
            form.add_error("rang", str(refus))
        else:
            messages.success(request, _("La liste d'attente est réordonnée."))
            return redirect("candidatures:places", candidature.promotion_id)
    return _page_places(request, candidature.promotion, {candidature.pk: form}, statut=400)


@login_required
@require_POST
def retenir_depuis_la_liste(request, pk: int):
    candidature = _candidature_en_attente(request, pk)
    try:
        places.retenir_depuis_la_liste(candidature=candidature, par=request.user)
    except services.CandidatureRefusee as refus:
        messages.error(request, str(refus))
    else:
        messages.success(
            request,
            _("%(nom)s est retenu·e ; la personne en est informée par courriel.")
            % {"nom": candidature.utilisateur.get_full_name()},
        )
    return redirect("candidatures:places", candidature.promotion_id)
