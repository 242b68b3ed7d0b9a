"""Whole pages kept in Django's cache for one signed-in reader, each served with the reader's own CSRF token.

A page whose content follows only the reader and data the view has already read (a closed campaign's synthesis) is
rendered once per key and served from the cache to that same reader afterwards: no template is rendered. The key
holds the reader (their id, every value of their account and their groups: the header and what they may see), the
language, the address, and what the view's data shows (`cle`): a page is never shared between two people, and any
change of what it shows gives a new key. A POST, a query string (unless the page follows it and it is in the key) or a
waiting message: the page is rendered. A page may shorten its stay (`garder_au_plus`): until the hour a questionnaire
opens or closes.

`servir_selon_les_tables` keys a page on the version of every table it shows and the day (a pair member's space
and meetings, which count gaps up to today): a meeting logged or a charter signed by either member gives a new key
at once; on SQLite, where no version is cheap, the page is rendered each time.
"""

import hashlib
from collections.abc import Callable, Iterable
from typing import cast

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.translation import get_language

from . import fragments, pages_publiques, rules
from .models import Utilisateur


def servir(
    request: HttpRequest,
    cle: str,
    rendre: Callable[[], HttpResponse],
    *,
    avec_requete: bool = False,
    selon_les_fragments: bool = False,
) -> HttpResponse:
    """The reader's page of key `cle` from the cache when it may come from it, else `rendre()` (stored if it may).

    `avec_requete`: the page follows its query string (a list's filters, search, order and page), which is then part
    of the key; otherwise an address with a query string is always rendered.
    `selon_les_fragments`: the page also follows the fragments' version (`fragments.version`: a question changed),
    read with the page in one round trip to the cache; the page is kept with the version read before it was rendered.
    """
    if not _en_cache_possible(request, avec_requete):
        return rendre()
    lecteur = cast(Utilisateur, request.user)  # signed in: `_en_cache_possible`
    parties = [get_language(), request.path, request.GET.urlencode(), str(lecteur.pk), fragments.empreinte(lecteur)]
    empreinte = hashlib.sha256("|".join([*parties, *rules.groupes(lecteur), cle]).encode()).hexdigest()
    cle_page = f"page-du-lecteur:octets:{empreinte}"  # stored as bytes: `pages_publiques.PREFIXE`
    version: str | None = None
    if selon_les_fragments:
        version, gardee = fragments.lire_avec_la_version(cle_page)
        html = gardee if isinstance(gardee, bytes) else None
    else:
        html = cache.get(cle_page)
    if html is None:
        reponse = rendre()
        if isinstance(reponse, SimpleTemplateResponse) and not reponse.is_rendered:
            # Rendered later by Django (its context may still change): stored once it is.
            reponse.add_post_render_callback(lambda rendue: _garder(cle_page, rendue, version))
        else:
            _garder(cle_page, reponse, version)
        return reponse
    return pages_publiques.page_stockee(request, html)


def servir_selon_les_tables(
    request: HttpRequest, modeles: Iterable[type[Model]], rendre: Callable[[], HttpResponse]
) -> HttpResponse:
    """`servir` under the version of the tables of `modeles` (every table the page shows) and today's date."""
    version = fragments.version_des_donnees(*modeles)
    if version is None:
        return rendre()
    return servir(request, f"{timezone.localdate().isoformat()}:{version}", rendre)


def garder_au_plus(reponse: HttpResponse, secondes: float) -> None:
    """The page of `reponse` stays in the cache no longer than `secondes` (what it shows changes then). Not the
    `Cache-Control` header, which speaks to browsers (the admin's pages forbid them any copy)."""
    reponse.garder_au_plus = max(0, int(secondes))  # type: ignore[attr-defined]


def _garder(cle_page: str, reponse: HttpResponse, version: str | None) -> None:
    duree = min(fragments.DUREE, getattr(reponse, "garder_au_plus", fragments.DUREE))
    pages_publiques.stocker(cle_page, reponse, duree, version=version)


def _en_cache_possible(request: HttpRequest, avec_requete: bool) -> bool:
    """A signed-in reader's plain GET, without waiting message (nor query string, unless the page follows it)."""
    return (
        request.method == "GET"
        and (avec_requete or not request.GET)
        and request.user.is_authenticated
        # `len` reads the messages without marking them read: they stay for the page rendered below.
        and len(get_messages(request)) == 0
    )
