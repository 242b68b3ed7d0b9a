"""Sign-in with ProConnect, the State's identity federation for civil servants (OpenID Connect).

mozilla-django-oidc runs the authorization-code flow with PKCE, `state` and `nonce`, and checks the ID token's
signature against the provider's published keys (JWKS). This module adds what ProConnect and this service need:

- the endpoints come from the provider's discovery document (`PROCONNECT_URL/.well-known/openid-configuration`),
  cached an hour, instead of four settings to keep in step;
- the ID token's issuer and audience are checked too, and the userinfo's `sub` must be the ID token's;
- a ProConnect identity signs in to an existing, active account whose address is the one ProConnect asserts as
  verified (`email_verified`); no account is ever created here;
- a sign-in whose assurance level (`acr`, requested through the `claims` parameter) is one of
  `PROCONNECT_ACR_DOUBLE_FACTEUR`, or whose methods (`amr`) include `mfa`, counts as the committee's second factor;
  any other asks for the code of the application, as after a password;
- signing out of a ProConnect session ends it at the provider too (`end_session_endpoint`).

Without `PROCONNECT_URL`, `PROCONNECT_CLIENT_ID` and `PROCONNECT_CLIENT_SECRET`, it is off: no button, and its
two URLs answer 404.
"""

import json
import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .authentification import compte_et_groupes
from .second_facteur import CLE_MFA_PROCONNECT

logger = logging.getLogger(__name__)

DUREE_DECOUVERTE = 60 * 60


class ProConnectIndisponible(Exception):
    """The provider's discovery document could not be read, or is not the configured issuer's."""


def actif() -> bool:
    return bool(settings.PROCONNECT_URL and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET)


def decouverte() -> dict:
    """The provider's discovery document, read once an hour (Django's cache)."""
    cle = f"proconnect:decouverte:{settings.PROCONNECT_URL}"
    document = cache.get(cle)
    if document is None:
        try:
            reponse = requests.get(
                f"{settings.PROCONNECT_URL}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            reponse.raise_for_status()
            document = reponse.json()
        except (requests.RequestException, ValueError) as erreur:
            raise ProConnectIndisponible(str(erreur)) from erreur
        # A document that names another issuer is not this provider's (OpenID Connect Discovery, §4.3).
        if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != settings.PROCONNECT_URL:
            raise ProConnectIndisponible("le document de découverte ne nomme pas PROCONNECT_URL comme émetteur")
        cache.set(cle, document, DUREE_DECOUVERTE)
    return document


def double_facteur(jeton_id: dict) -> bool:
    """Whether the provider says this sign-in used a second factor."""
    amr = jeton_id.get("amr") or []
    return jeton_id.get("acr") in settings.PROCONNECT_ACR_DOUBLE_FACTEUR or (isinstance(amr, list) and "mfa" in amr)


class ProConnectBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, on the discovered endpoints, matching existing accounts by verified e-mail."""

    def __init__(self, *args, **kwargs) -> None:
        # Not the parent's __init__: Django instantiates backends for every request of a signed-in session, and the
        # endpoints (below) are read from the discovery document only when a sign-in needs them.
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()
        self.jeton_id: dict = {}

    # The parent's attribute names, as properties: the discovery document is read when a sign-in needs it.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return decouverte()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return decouverte()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return decouverte()["jwks_uri"]

    def get_user(self, user_id):
        # As the parent's, the account's groups read with it (`mentorat.authentification`).
        return compte_et_groupes(user_id)

    def authenticate(self, request, **kwargs):
        # Only ProConnect's callback passes a nonce: a password sign-in never reaches the provider.
        if request is None or "nonce" not in kwargs or not actif():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The parent checks the signature against the JWKS, the expiry and the nonce; the issuer and the audience
        must be ProConnect's and ours as well. Any failure is a `SuspiciousOperation`."""
        try:
            donnees = super().verify_token(token, **kwargs)
        except jwt.PyJWTError as erreur:
            raise SuspiciousOperation(f"Jeton ProConnect invalide : {erreur}") from erreur
        # The ID token always carries both claims; a signed userinfo response may (then they are checked too).
        est_jeton_id = "nonce" in kwargs
        emetteur = str(donnees.get("iss", "")).rstrip("/")
        if (est_jeton_id or "iss" in donnees) and emetteur != settings.PROCONNECT_URL:
            raise SuspiciousOperation("Jeton ProConnect d'un autre émetteur.")
        audience = donnees.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if (est_jeton_id or "aud" in donnees) and self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("Jeton ProConnect destiné à un autre service.")
        if est_jeton_id:
            self.jeton_id = donnees
        return donnees

    def _refuser(self, message: str) -> None:
        # Read by the callback view, which tells the person why (their own identity: nothing to hide from them).
        self.request.proconnect_refus = message

    def get_or_create_user(self, access_token, id_token, payload):
        """The active account whose address ProConnect asserts as verified, or None (the reason for the view)."""
        infos = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(infos, dict) or infos.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("Les informations ProConnect ne sont pas celles du jeton d'identité.")
        email = str(infos.get("email") or "").strip()
        if not email or infos.get("email_verified") is not True:
            self._refuser(_("ProConnect n'a pas transmis d'adresse électronique vérifiée : connexion impossible."))
            return None
        comptes = list(self.UserModel.objects.filter(email__iexact=email, is_active=True)[:2])
        if len(comptes) != 1:
            self._refuser(
                _(
                    "Aucun compte actif de Mentorat n'est ouvert à l'adresse %(email)s que transmet ProConnect. "
                    "Connectez-vous avec votre mot de passe, ou demandez au comité de mentorat d'ouvrir votre compte."
                )
                % {"email": email}
            )
            return None
        utilisateur = comptes[0]
        utilisateur.proconnect_double_facteur = double_facteur(self.jeton_id)
        return utilisateur


class Connexion(OIDCAuthenticationRequestView):
    """The « S'identifier avec ProConnect » button: to the provider's authorization endpoint."""

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the parent's reads the endpoint from settings
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not actif():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = decouverte()["authorization_endpoint"]
        except (ProConnectIndisponible, KeyError) as erreur:
            logger.warning("ProConnect indisponible : %s", erreur)
            messages.error(request, _("ProConnect est momentanément indisponible : réessayez plus tard."))
            return redirect("login")
        return super().get(request)

    def get_extra_params(self, request):
        # Ask for the assurance level and the methods used, to know whether a second factor was used there.
        demande = {
            "acr": {"essential": False, "values": settings.PROCONNECT_ACR_DOUBLE_FACTEUR},
            "amr": {"essential": True},
        }
        return {"claims": json.dumps({"id_token": demande})}


class Retour(OIDCAuthenticationCallbackView):
    """The provider sends the person back here with the code; any failure returns to the sign-in page, said why."""

    def get(self, request):
        if not actif():
            raise Http404
        try:
            return super().get(request)
        except (SuspiciousOperation, ProConnectIndisponible, requests.RequestException, KeyError) as erreur:
            logger.warning("Connexion ProConnect refusée : %s", erreur)
            return self.login_failure()

    def login_failure(self):
        if self.request.GET.get("error"):
            message = _("La connexion avec ProConnect a été interrompue.")
        else:
            message = getattr(self.request, "proconnect_refus", None) or _(
                "La connexion avec ProConnect n'a pas pu être vérifiée : réessayez."
            )
        messages.error(self.request, message)
        return redirect("login")

    def login_success(self):
        reponse = super().login_success()
        if getattr(self.user, "proconnect_double_facteur", False):
            self.request.session[CLE_MFA_PROCONNECT] = True
        return reponse


def url_de_deconnexion(request) -> str | None:
    """Where to end a ProConnect session at the provider (with its ID token), or None for any other session."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not actif():
        return None
    try:
        fin = decouverte().get("end_session_endpoint")
    except ProConnectIndisponible:
        return None
    if not fin:
        return None
    parametres = {
        "id_token_hint": id_token,
        "state": get_random_string(32),
        "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
    }
    return f"{fin}?{urlencode(parametres)}"
