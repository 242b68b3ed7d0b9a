"""Signed links that confirm an applicant's e-mail address, after `django.contrib.auth.tokens`."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class ConfirmationEmail(PasswordResetTokenGenerator):
    """A token that stops working once the address is confirmed (or the e-mail changes)."""

    key_salt = "candidatures.jetons.ConfirmationEmail"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirme}{timestamp}"


confirmation_email = ConfirmationEmail()


def chemin_confirmation(user) -> str:
    from django.urls import reverse

    return reverse(
        "candidatures:confirmer_email",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "jeton": confirmation_email.make_token(user)},
    )
