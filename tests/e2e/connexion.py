"""Signing in through the browser as a committee member does: after the password, the second factor's page."""

import re
from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import code_totp


def passer_le_second_facteur(page, utilisateur, pas: int = 0) -> None:
    """On the page that follows a committee member's password: enrol an application (reading the key shown, as the
    application would scan it) and go on past the recovery codes, or type the code of the application already
    enrolled (`pas` steps later: a code used in these 30 seconds would be refused)."""
    expect(page.get_by_role("heading", name=re.compile("double authentification", re.IGNORECASE))).to_be_visible()
    if page.locator("#cle-secrete").count():
        cle = b32decode(page.locator("#cle-secrete").inner_text().replace(" ", ""))
        page.get_by_label("Code à 6 chiffres").fill(f"{totp(cle):06d}")
        page.get_by_role("button", name="Activer").click()
        page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    else:
        appareil = TOTPDevice.objects.get(user=utilisateur, confirmed=True)
        page.get_by_label("Code de vérification").fill(code_totp(appareil, pas))
        page.get_by_role("button", name="Vérifier le code").click()
