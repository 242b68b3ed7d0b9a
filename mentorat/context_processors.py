from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from . import rules

SITE_CONFIG = {
    "site_title": _("Mentorat des directeurs"),
    "site_tagline": _("Programme national de mentorat du Centre national de gestion"),
    "footer_brand_html": "république<br>française",
    "footer_description": _(
        "Le programme de mentorat du CNG accompagne les directeurs et directrices "
        "de la fonction publique hospitalière lors de leur première prise de poste."
    ),
    "accessibility_status": _("partiellement"),
}


def site(request):
    """The DSFR page chrome and the role flags of the visitor (no query for anonymous visitors)."""
    # An address refused before the sign-in middleware ran (400) has no user yet: a visitor.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "est_membre_du_comite": rules.est_membre_du_comite(user),
        "est_ingenieur": rules.est_ingenieur(user),
        "DEBUG": settings.DEBUG,
    }
