"""The committee's second factor: a TOTP application (django-otp), with single-use recovery codes.

Every committee account (staff, pilot, engineers) that signs in with a password must then give a code; the
middleware `mentorat.middleware.SecondFacteurMiddleware` keeps every other page closed until it has. A
ProConnect sign-in whose identity provider asserts a multi-factor authentication counts as verified (see
`mentorat.proconnect`); any other ProConnect sign-in is asked for the code too.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import journal
from .models import Utilisateur

NOMBRE_DE_CODES_DE_SECOURS = 10
NOM_APPAREIL = "Application d'authentification"
NOM_CODES = "Codes de secours"
CLE_MFA_PROCONNECT = "proconnect_double_facteur"
BACKEND_PROCONNECT = "mentorat.proconnect.ProConnectBackend"


def est_verifie(request) -> bool:
    """Whether this session passed a second factor: a code here, or a multi-factor sign-in at ProConnect."""
    if request.user.is_verified():
        return True
    # Only in a session that ProConnect opened: the flag is written after that sign-in, and removed at any other.
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND_PROCONNECT and bool(
        request.session.get(CLE_MFA_PROCONNECT)
    )


def appareil_confirme(utilisateur: Utilisateur) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=utilisateur, confirmed=True).first()


def appareil_a_activer(utilisateur: Utilisateur) -> TOTPDevice:
    """The key offered on the enrolment page: the pending one, so that reloading the page keeps the QR code the
    person may already have scanned, or a new one."""
    appareil = TOTPDevice.objects.filter(user=utilisateur, confirmed=False).first()
    return appareil or TOTPDevice.objects.create(user=utilisateur, name=NOM_APPAREIL, confirmed=False)


def qr_code_svg(appareil: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no image request, no inline style: allowed by the CSP)."""
    qr = segno.make(appareil.config_url, error="m")
    return qr.svg_inline(scale=4, border=4, light="#fff", title=_("Code QR à scanner avec votre application"))


def cle_lisible(appareil: TOTPDevice) -> str:
    """The secret key in base32, by groups of four, for an application that cannot scan."""
    cle = b32encode(appareil.bin_key).decode()
    return " ".join(cle[i : i + 4] for i in range(0, len(cle), 4))


def _nouveaux_codes(utilisateur: Utilisateur) -> list[str]:
    StaticDevice.objects.filter(user=utilisateur).delete()
    appareil = StaticDevice.objects.create(user=utilisateur, name=NOM_CODES, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(NOMBRE_DE_CODES_DE_SECOURS)]
    StaticToken.objects.bulk_create(StaticToken(device=appareil, token=code) for code in codes)
    return codes


def activer(*, request, appareil: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending `appareil` with a code from the application; returns the new recovery codes, or None
    if the code is wrong.

    Side effects on success: the previous application and recovery codes stop working; this session counts as
    verified; journal entry « double authentification activée ».
    """
    utilisateur = request.user
    if verify_token(utilisateur, appareil.persistent_id, _chiffres(code)) is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=utilisateur).exclude(pk=appareil.pk).delete()
        appareil.confirmed = True
        appareil.save(update_fields=["confirmed"])
        codes = _nouveaux_codes(utilisateur)
        journal.consigner(journal.Action.SECOND_FACTEUR_ACTIVE, par=utilisateur, request=request)
    otp_login(request, appareil)
    return codes


class CodeRefuse(Exception):
    """The code is wrong; `str(exc)` says so in French (or asks to wait, after several wrong codes)."""


def verifier(*, request, code: str) -> None:
    """Check a code from the application or a recovery code; on success this session counts as verified, else
    `CodeRefuse`. After each wrong code, django-otp makes the next check wait twice as long (1 s, 2 s, 4 s…).

    Journal: a refused code; a recovery code used (it then no longer works).
    """
    utilisateur = request.user
    saisie = "".join(code.split()).lower()
    # A code of digits is the application's; letters are a recovery code. Each is checked against its own device,
    # under a row lock, so that two requests cannot both use one code.
    if saisie.isdigit():
        appareil: TOTPDevice | StaticDevice | None = appareil_confirme(utilisateur)
    else:
        appareil = StaticDevice.objects.filter(user=utilisateur, confirmed=True).first()
    if appareil is not None and not appareil.verify_is_allowed()[0]:
        raise CodeRefuse(_("Trop de codes erronés à la suite : patientez quelques secondes avant de réessayer."))
    if appareil is not None:
        appareil = verify_token(utilisateur, appareil.persistent_id, _chiffres(saisie) if saisie.isdigit() else saisie)
    if appareil is None:
        journal.consigner(journal.Action.SECOND_FACTEUR_REFUSE, par=utilisateur, request=request)
        raise CodeRefuse(_("Ce code n'est pas valable. Saisissez le code affiché maintenant par l'application."))
    if isinstance(appareil, StaticDevice):
        restants = appareil.token_set.count()
        journal.consigner(
            journal.Action.CODE_DE_SECOURS_UTILISE, par=utilisateur, request=request, details={"restants": restants}
        )
    otp_login(request, appareil)


def renouveler_codes(*, request) -> list[str]:
    """New recovery codes for the signed-in person; the previous ones stop working."""
    with transaction.atomic():
        codes = _nouveaux_codes(request.user)
        journal.consigner(journal.Action.CODES_DE_SECOURS_RENOUVELES, par=request.user, request=request)
    return codes


def codes_restants(utilisateur: Utilisateur) -> int:
    return StaticToken.objects.filter(device__user=utilisateur, device__confirmed=True).count()


def reinitialiser(*, utilisateur: Utilisateur, par: Utilisateur) -> None:
    """Remove a person's application and recovery codes (lost telephone): they enrol again at their next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=utilisateur).delete()
        StaticDevice.objects.filter(user=utilisateur).delete()
        journal.consigner(journal.Action.SECOND_FACTEUR_REINITIALISE, par=par, objet=utilisateur)


def _chiffres(code: str) -> str:
    return "".join(c for c in code if c.isdigit())[: settings.OTP_TOTP_CHIFFRES]
