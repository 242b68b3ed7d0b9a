"""What every request of a committee account goes through: the second factor, and a session that ends sooner."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from . import second_facteur
from .rules import compte_du_comite

CLE_ACTIVITE = "derniere_activite"
# The last activity is written at most once a minute: not one session write per request.
PRECISION_ACTIVITE = 60

# What a committee member signed in with a password may reach before giving the code: the second factor's own
# pages, signing in again or out, and the health check. Every other page, the landing page after sign-in first,
# sends to the code: the sign-in is not finished until it is given.
PAGES_AVANT_LE_CODE = frozenset(
    {
        "second_facteur",
        "activer_second_facteur",
        "logout",
        "login",
        "healthz",
        "proconnect_connexion",
        "proconnect_retour",
    }
)


class SessionDuComiteMiddleware:
    """A committee session ends when the browser closes and after `COMITE_SESSION_INACTIVITE` seconds without a
    request; candidates and pairs keep Django's usual session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if compte_du_comite(request.user):
            self._tenir(request)
        return self.get_response(request)

    @staticmethod
    def _tenir(request) -> None:
        session = request.session
        maintenant = int(time.time())
        derniere = session.get(CLE_ACTIVITE)
        if derniere is not None and maintenant - derniere > settings.COMITE_SESSION_INACTIVITE:
            logout(request)
            messages.info(request, _("Votre session a pris fin après une période d'inactivité : reconnectez-vous."))
            return
        if not session.get_expire_at_browser_close():
            session.set_expiry(0)
        if derniere is None or maintenant - derniere >= PRECISION_ACTIVITE:
            session[CLE_ACTIVITE] = maintenant


class SecondFacteurMiddleware:
    """Sends a committee member signed in without a second factor to the enrolment page (no application yet) or
    to the code page, before any other page. Installed after django-otp's middleware
    (`mentorat.authentification.SecondFacteurDuCompte`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and not match.namespace and match.url_name in PAGES_AVANT_LE_CODE:
            return None
        if not compte_du_comite(request.user) or second_facteur.est_verifie(request):
            return None
        page = "second_facteur" if second_facteur.appareil_confirme(request.user) else "activer_second_facteur"
        return redirect_to_login(request.get_full_path(), reverse(page))


class PagesNonConserveesMiddleware:
    """`Cache-Control: no-store` (with Django's other never-cache directives) on every response of the application:
    pages of a signed-in person, exports, and the pages of a personal link (questionnaire, calendar) must not stay in
    a shared computer's browser cache or a proxy. Static files are served before it (whitenoise) and keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reponse = self.get_response(request)
        add_never_cache_headers(reponse)
        return reponse


class AdresseIllisible(SuspiciousOperation):
    """An address no page can read: answered 400 (templates/400.html) and logged without the address itself."""


# A date of the admin's date hierarchy (…__year=, …__month=, …__day=): a few digits, or nothing to filter on.
PARTIE_DE_DATE = re.compile(r"__(year|month|day)$")
NOMBRE_DE_DATE = re.compile(r"\d{1,4}")


class EntreesIllisiblesMiddleware:
    """Refuses with a 400 the addresses that would otherwise reach the database and fail there (a 500): a NUL byte
    in the path or the query string (PostgreSQL text cannot hold one), an absurd year, month or day in the admin's
    date filters. Forms keep their own French message for a NUL byte typed in a field (Django's validator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in request.path_info:
            raise AdresseIllisible("Caractère NUL dans le chemin de l'adresse.")
        for cle, valeurs in request.GET.lists():
            if "\x00" in cle or any("\x00" in valeur for valeur in valeurs):
                raise AdresseIllisible("Caractère NUL dans les paramètres de l'adresse.")
            if PARTIE_DE_DATE.search(cle) and not all(NOMBRE_DE_DATE.fullmatch(valeur) for valeur in valeurs):
                raise AdresseIllisible("Date impossible dans les paramètres de l'adresse.")
        return self.get_response(request)
