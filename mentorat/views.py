from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import fragments, limites, pages_publiques, proconnect, rules, surveillance
from . import second_facteur as facteur
from .forms import ActivationForm, CodeForm
from .models import Promotion
from .rules import compte_du_comite


def accueil(request):
    promotion, version = pages_publiques.promotion_courante(request)
    # The page's content is the same for everyone: cached (`mentorat.fragments`), the header around it is not;
    # an anonymous visitor's whole page is cached (`mentorat.pages_publiques`).
    cle = fragments.cle(promotion, version_lue=version)
    contexte = {"promotion": promotion, "page_title": _("Le programme"), "fragment": cle}
    return pages_publiques.servir(
        request, cle, lambda: render(request, "mentorat/accueil.html", {**contexte, "fragment_duree": fragments.DUREE})
    )


@login_required
def arrivee(request):
    """Where each person lands after signing in (`LOGIN_REDIRECT_URL`): where their work is.

    Engineers: the tracking dashboard while a promotion's year is running, else the programme dashboard;
    the pilot (and any other staff member): the programme dashboard; a member of a pair still running: the
    pair's space; an applicant not (yet) in a pair: their application; a member of a closed pair: the pair's
    space (syntheses, history); anyone else: the home page.
    Like `urls.py`, this view knows every app: they are imported here, not at the top of the project's module.
    """
    from binomes.models import Binome, StatutBinome
    from candidatures.models import Candidature

    user = request.user
    if rules.est_ingenieur(user):
        annee_en_cours = Promotion.objects.dont_l_annee_court(timezone.localdate()).filter(binomes__isnull=False)
        return redirect("suivi:tableau_de_bord" if annee_en_cours.exists() else "admin:index")
    if user.is_staff:
        return redirect("admin:index")
    binomes = Binome.objects.de_l_utilisateur(user)
    if binomes.exclude(statut__in=StatutBinome.clos()).exists():
        return redirect("binomes:espace")
    if Candidature.objects.filter(utilisateur=user).sans_binome().exists():
        return redirect("candidatures:mon_espace")
    return redirect("binomes:espace" if binomes.exists() else "accueil")


def page_statique(request, gabarit: str, titre: str):
    return render(request, gabarit, {"page_title": titre, "hebergeur": settings.HEBERGEUR})


@never_cache
@require_GET
def healthz(request):
    """Database and broker (503 when one is down), the outbox's oldest e-mail due and unsent, the beat's last runs."""
    rapport = surveillance.sante()
    return JsonResponse(rapport, status=200 if rapport["statut"] == "ok" else 503)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_facteur(request):
    """The code page, after a password, for a committee account that has an application."""
    suite = _suite(request)
    if not compte_du_comite(request.user):
        raise Http404
    if facteur.est_verifie(request):
        return redirect(suite)
    if facteur.appareil_confirme(request.user) is None:
        return redirect_to_login(suite, reverse("activer_second_facteur"))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            facteur.verifier(request=request, code=form.cleaned_data["code"])
        except facteur.CodeRefuse as refus:
            form.add_error("code", str(refus))
        else:
            return redirect(suite)
    return render(
        request,
        "mentorat/second_facteur.html",
        {"form": form, "suite": suite, "page_title": _("Double authentification")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def activer_second_facteur(request):
    """Enrolment: scan the QR code, type a code. A person who has an application must first prove it (changing
    telephone is done from a verified session): a password alone never replaces a second factor."""
    suite = _suite(request)
    if not compte_du_comite(request.user):
        raise Http404
    if facteur.appareil_confirme(request.user) is not None and not facteur.est_verifie(request):
        return redirect_to_login(suite, reverse("second_facteur"))
    appareil = facteur.appareil_a_activer(request.user)
    form = ActivationForm(request.POST or None)
    if form.is_valid():
        codes = facteur.activer(request=request, appareil=appareil, code=form.cleaned_data["code"])
        if codes is not None:
            return _page_codes(request, codes, suite)
        form.add_error("code", _("Ce code n'est pas valable. Saisissez le code affiché maintenant par l'application."))
    contexte = {
        "form": form,
        "suite": suite,
        "qr_code": facteur.qr_code_svg(appareil),
        "cle": facteur.cle_lisible(appareil),
        "page_title": _("Activer la double authentification"),
    }
    return render(request, "mentorat/activer_second_facteur.html", contexte)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def codes_de_secours(request):
    """How many recovery codes remain; a POST replaces them all and shows the new ones, once."""
    if not compte_du_comite(request.user):
        raise Http404
    if request.method == "POST":
        return _page_codes(request, facteur.renouveler_codes(request=request), reverse("codes_de_secours"))
    contexte = {"restants": facteur.codes_restants(request.user), "page_title": _("Codes de secours")}
    return render(request, "mentorat/codes_de_secours.html", contexte)


def _page_codes(request, codes: list[str], suite: str):
    contexte = {"codes": codes, "suite": suite, "page_title": _("Vos codes de secours")}
    return render(request, "mentorat/codes_de_secours_nouveaux.html", contexte)


def _suite(request) -> str:
    """The page asked before the second factor, if it is one of this site's, else the landing page."""
    suite = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(suite, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return suite
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class Deconnexion(auth_views.LogoutView):
    """Django's sign-out; a ProConnect session is then ended at the provider too."""

    def post(self, request, *args, **kwargs):
        fin = proconnect.url_de_deconnexion(request)
        reponse = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(fin) if fin else reponse


class Reinitialisation(auth_views.PasswordResetView):
    """Django's password reset, limited per address and per client: it cannot be used to flood a mailbox."""

    def form_valid(self, form):
        if limites.autorise("reinitialisation", self.request, adresse=form.cleaned_data["email"]):
            return super().form_valid(form)
        return trop_de_demandes(self, form)


def trop_de_demandes(vue, form):
    """The form again, with what was typed and a French message, status 429 (Too Many Requests)."""
    form.add_error(None, limites.MESSAGE_TROP_DE_DEMANDES)
    reponse = vue.form_invalid(form)
    reponse.status_code = 429
    return reponse


def connexion_bloquee(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in while the account or the address is locked out (both sign-in pages).

    The same page for an address with or without an account: it tells nothing about who exists.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    contexte = {"minutes": minutes, "page_title": _("Connexion temporairement bloquée")}
    return render(request, "mentorat/connexion_bloquee.html", contexte, status=429)


class Connexion(auth_views.LoginView):
    """Django's sign-in page, with the ProConnect button when ProConnect is configured."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "proconnect": proconnect.actif()}


def formulaire_expire(request, reason: str = ""):
    """Django's CSRF failure, in French: the form was sent from a page too old (or from elsewhere). The check runs
    before any view, so nothing of what was sent has been saved; the page says so. `reason` stays in the logs."""
    contexte = {"page_title": _("Formulaire expiré")}
    return render(request, "mentorat/formulaire_expire.html", contexte, status=403)
