"""A pair member's own pages (their space, their meetings), kept in Django's cache per member until the data change.

Such a page shows one person's pair, and only the rows of the tables it reads: it is stored under a key that holds
the member, the address, the language, the day (the pages count gaps and open forms up to today) and the version of
every table it shows (`mentorat.fragments.version_des_donnees`), so that a meeting logged, a charter signed or a role
changed gives a new key at once. What is the request's own is never stored: the header (who is signed in, the menu)
is rendered at each request where the stored page has a placeholder, and so is each form's CSRF token. A page with a
message waiting, a form sent back with its errors, or an address with a query string is rendered as before and not
stored; on SQLite (no version) nothing is.
"""

import re
from collections.abc import Callable, Iterable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.translation import get_language

from . import fragments
from .pages_publiques import CHAMP_CSRF, JETON

# The page's header (`templates/_entete.html`), the visitor's own: where the stored page has it, it has this.
ENTETE = re.compile(r'<header role="banner".*?</header>', re.DOTALL)
PLACE_ENTETE = "@@entete@@"


def servir(request: HttpRequest, modeles: Iterable[type[Model]], rendre: Callable[[], HttpResponse]) -> HttpResponse:
    """The page from the cache when it may be, else `rendre()` (stored if it may be).

    `modeles`: every table the page shows; the accounts' and roles' tables are added. `rendre` may shorten how long
    its page stays by a `max-age` (`patch_cache_control`): the hour a questionnaire opens or closes."""
    cle = _cle(request, modeles)
    if cle is None:
        return rendre()
    en_cache = cache.get(cle)
    if en_cache is None:
        reponse = rendre()
        if reponse.status_code != 200 or reponse.streaming:
            return reponse
        page = ENTETE.sub(PLACE_ENTETE, reponse.content.decode(), count=1)
        page = CHAMP_CSRF.sub(rf"\g<1>{JETON}\g<2>", page)
        max_age = get_max_age(reponse)
        duree = fragments.DUREE if max_age is None else min(fragments.DUREE, max_age)
        if PLACE_ENTETE in page and duree > 0:
            cache.set(cle, page, duree)
        return reponse
    page = en_cache
    # As `{% csrf_token %}` does: this visitor's token, and its cookie set by the CSRF middleware.
    page = page.replace(JETON, get_token(request))
    return HttpResponse(page.replace(PLACE_ENTETE, render_to_string("_entete.html", request=request), 1))


def _cle(request: HttpRequest, modeles: Iterable[type[Model]]) -> str | None:
    """The page's key, or None: not to be cached (not a plain GET of a signed-in person, a message waiting, SQLite)."""
    # `len` reads the messages without marking them read: they stay for the page rendered instead.
    if request.method != "GET" or request.GET or not request.user.is_authenticated or len(get_messages(request)):
        return None
    version = fragments.version_des_donnees(*modeles, *fragments.tables_des_droits())
    if version is None:
        return None
    jour = timezone.localdate().isoformat()
    return f"page-personnelle:{request.user.pk}:{get_language()}:{request.path}:{jour}:{version}"
