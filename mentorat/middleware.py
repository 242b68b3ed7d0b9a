"""What every request of a committee account goes through: the second factor, and a session that ends sooner."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
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
    to the code page, before any other page. Installed after django-otp's `OTPMiddleware`."""

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
