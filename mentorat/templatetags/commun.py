"""`{% commun "gabarit.html" %}`: a part of the page that is the same for every visitor, rendered once per process.

The page's head (style sheets, icons), the skip links, the unchanging parts of the header, the footer and the
scripts show nothing of the visitor or of the request: rendering them at every request (a dozen `{% static %}`,
`{% url %}` and `{% translate %}` each) cost a good part of a light page's time. Each is rendered once per
process and language, with only `SITE_CONFIG` in its context (a part that needs the request or the user cannot
be one of these), and the string is reused. With DEBUG on it is rendered each time, so that an edited template
shows at once; a change of settings (tests) empties the store.
"""

from collections.abc import Callable

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from mentorat.context_processors import SITE_CONFIG

register = template.Library()

_rendus: dict[tuple, SafeString] = {}


def une_fois_par_processus(cle: tuple, rendre: Callable[[], SafeString]) -> SafeString:
    """`rendre()`'s HTML, kept under `cle` for the process's life (rendered each time with DEBUG on)."""
    html = _rendus.get(cle)
    if html is None:
        html = rendre()
        if not settings.DEBUG:
            _rendus[cle] = html
    return html


def rendu_commun(gabarit: str) -> SafeString:
    """The HTML of `gabarit`, identical for every visitor in the current language."""
    return une_fois_par_processus(
        ("commun", gabarit, get_language()),
        lambda: mark_safe(render_to_string(gabarit, {"SITE_CONFIG": SITE_CONFIG})),  # noqa: S308 - our own template
    )


@register.simple_tag
def commun(gabarit: str) -> SafeString:
    return rendu_commun(gabarit)


def _oublier(**kwargs) -> None:
    _rendus.clear()


setting_changed.connect(_oublier)
