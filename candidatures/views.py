from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorat import fragments, limites
from mentorat.models import Promotion, Utilisateur

from . import services
from .forms import formulaire_du_role
from .models import Candidature, Role, Statut
from .rules import peut_modifier_candidature, peut_voir_candidature


def get_candidature_ou_404(request, pk: int) -> Candidature:
    """The applicant's own application, or 404 (another person's application does not exist for them)."""
    candidature = get_object_or_404(Candidature.objects.select_related("promotion"), pk=pk)
    if not peut_voir_candidature(request.user, candidature):
        raise Http404
    return candidature


@require_http_methods(["GET", "POST"])
def candidater(request, role: str):
    promotion = Promotion.objects.courante()
    if promotion is None or not promotion.candidatures_ouvertes():
        return render(request, "candidatures/fermees.html", {"promotion": promotion, "page_title": _("Candidater")})
    if request.user.is_authenticated and request.user.candidatures.filter(promotion=promotion).exists():
        messages.info(request, _("Vous avez déjà déposé une candidature pour cette promotion."))
        return redirect("candidatures:mon_espace")
    anonyme = not request.user.is_authenticated
    form = formulaire_du_role(role)(request.POST or None, promotion=promotion, compte=anonyme)
    statut = 200
    if request.method == "POST" and form.is_valid():
        adresse = form.cleaned_data["email"] if anonyme else request.user.email
        # Each application mails its applicant (and creates an account): limited per address and per client.
        if not limites.autorise("candidature", request, adresse=adresse):
            form.add_error(None, limites.MESSAGE_TROP_DE_DEMANDES)
            statut = 429
        elif reponse := _soumettre(request, form, promotion, role, anonyme):
            return reponse
    return _page_candidater(request, form, promotion, role, statut)


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
        login(request, candidature.utilisateur, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Votre candidature est enregistrée. Un accusé de réception vous a été envoyé."))
    return redirect("candidatures:mon_espace")


def _page_candidater(request, form, promotion, role, statut: int = 200):
    titre = _("Candidater comme mentor") if role == Role.MENTOR else _("Candidater comme mentoré·e")
    contexte = {"form": form, "promotion": promotion, "role": role, "titre": titre, "page_title": titre}
    if not form.is_bound and not request.user.is_authenticated:
        # The empty form of an anonymous visitor is the same for all: its fields are cached (`mentorat.fragments`);
        # the CSRF token, outside the fragment, is each visitor's own.
        contexte.update(fragment=fragments.cle(promotion, "candidature", role), fragment_duree=fragments.DUREE)
    return render(request, "candidatures/candidater.html", contexte, status=statut)


@login_required
def mon_espace(request):
    candidatures = request.user.candidatures.select_related("promotion").prefetch_related("themes").order_by("-cree_le")
    lignes = [(c, peut_modifier_candidature(request.user, c)) for c in candidatures]
    return render(
        request,
        "candidatures/mon_espace.html",
        {"lignes": lignes, "promotion": Promotion.objects.courante(), "page_title": _("Ma candidature")},
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
    if not peut_modifier_candidature(request.user, candidature):
        messages.error(request, _("Cette candidature ne peut plus être retirée."))
        return redirect("candidatures:mon_espace")
    if request.method == "POST":
        services.retirer_candidature(candidature=candidature, par=request.user)
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
