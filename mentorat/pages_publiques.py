"""Whole public pages kept in Django's cache for anonymous visitors, each given its own CSRF token.

An anonymous visitor with no message waiting, asking a page without a query string, sees exactly what every other
such visitor sees, except for the CSRF token of its forms. Such a page is rendered once per key
(`mentorat.fragments.cle`: the promotion's values, its application state, the day, the themes' version), stored with
a placeholder where the token was, and served to the next visitors with their own token put in its place: no
template is rendered. Anyone signed in, or with a message to read, gets the page rendered as before. Such a visitor's
current promotion comes from the cache too, read with the version in one round trip (`fragments.promotion_courante`):
the page is served without a query, in two reads of the cache.
"""

import re
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from . import fragments
from .models import Promotion

# The hidden field `{% csrf_token %}` writes; the token is a random string of letters and digits.
CHAMP_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
# Where a stored page or fragment had its CSRF token: each visitor's own is written there when it is served.
JETON = "@@jeton-csrf@@"
JETON_OCTETS = JETON.encode()
# A page is stored as the bytes sent, not as text: a text of 100 KB costs a third of a millisecond to pickle back
# from the cache and encode at each hit, a tenth of the whole of a signed-in page's hit. The keys name that format
# (`octets`), so that a deployment never reads a page stored as text by the previous one.
PREFIXE = "page-publique:octets"


def servir(
    request: HttpRequest, cle: str, rendre: Callable[[], HttpResponse], *, par_adresse: bool = True
) -> HttpResponse:
    """The page of key `cle` from the cache when this visitor may share it, else `rendre()` (stored if it may).

    `par_adresse=False`: the page is the same at every address of its view (a questionnaire's, whose address holds
    each person's token), so `cle` alone tells it: the address is left out of the key.
    """
    if not _partageable(request):
        return rendre()
    cle_page = f"{PREFIXE}:{get_language()}:{request.path if par_adresse else '-'}:{cle}"
    html = cache.get(cle_page)
    if html is None:
        reponse = rendre()
        stocker(cle_page, reponse)
        return reponse
    return page_stockee(request, html)


def stocker(cle_page: str, reponse: HttpResponse, duree: int = fragments.DUREE, *, version: str | None = None) -> None:
    """Keep the page of `reponse` (a whole one, 200) under `cle_page` as bytes, its CSRF tokens replaced by the
    placeholder; with `version`, the fragments' version read before it was rendered (`fragments.garder_avec_la_version`,
    read back by `pages_du_lecteur.servir`)."""
    if reponse.status_code == 200 and not reponse.streaming and duree > 0:
        page = CHAMP_CSRF.sub(rf"\g<1>{JETON}\g<2>", reponse.content.decode(reponse.charset)).encode(reponse.charset)
        if version is None:
            cache.set(cle_page, page, duree)
        else:
            fragments.garder_avec_la_version(cle_page, version, page, duree)


def page_stockee(request: HttpRequest, html: bytes) -> HttpResponse:
    """A page kept by `stocker`, with this visitor's own token where it had one: as `{% csrf_token %}` does (the
    same token for all their forms, its cookie set by the CSRF middleware)."""
    if JETON_OCTETS in html:
        html = html.replace(JETON_OCTETS, get_token(request).encode())
    return HttpResponse(html)


def promotion_courante(request: HttpRequest) -> tuple[Promotion | None, str | None]:
    """The current promotion, and the version to key its page with (`fragments.cle(…, version_lue=…)`).

    For a visitor who may share the page (no query): both from the cache in one read (`fragments.promotion_courante`).
    Else the promotion from the database, and no version: the key, if one is made, reads it."""
    if _partageable(request):
        return fragments.promotion_courante()
    return Promotion.objects.courante(), None


def _partageable(request: HttpRequest) -> bool:
    """An anonymous GET without query string nor waiting message: nothing in its page is the visitor's own."""
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        # `len` reads the messages without marking them read: they stay for the page rendered below.
        and len(get_messages(request)) == 0
    )
