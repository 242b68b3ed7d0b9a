"""One helper to build and send the service's e-mails from template triplets.

Each e-mail `nom` has three templates in `templates/emails/`:
`<nom>-subject.txt`, `<nom>-body.txt` and `<nom>-body.html`.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def construire(
    nom: str, destinataires: Sequence[str], contexte: dict, *, cc: Sequence[str] = ()
) -> EmailMultiAlternatives:
    contexte = {"site_url": settings.SITE_URL, **contexte}
    with translation.override(settings.LANGUAGE_CODE):
        sujet = " ".join(render_to_string(f"emails/{nom}-subject.txt", contexte).split())
        texte = render_to_string(f"emails/{nom}-body.txt", contexte)
        html = render_to_string(f"emails/{nom}-body.html", contexte)
    message = EmailMultiAlternatives(sujet, texte, to=list(destinataires), cc=list(cc))
    message.attach_alternative(html, "text/html")
    return message


def envoyer(nom: str, destinataires: Sequence[str], contexte: dict, *, cc: Sequence[str] = ()) -> None:
    """Render and send e-mail `nom` now; SMTP errors propagate so that a Celery task can retry."""
    construire(nom, destinataires, contexte, cc=cc).send(fail_silently=False)
