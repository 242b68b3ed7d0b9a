"""Limits on the forms that mail someone or create an account, and who the client is behind the proxy.

Each limited form counts its requests per e-mail address and per client address in Django's cache (local
memory by default, Redis in production: `CACHE_URL`), in fixed windows. The limits are settings
(`LIMITE_PAR_ADRESSE`, `LIMITE_PAR_CLIENT`), so that no form can be used to mail-bomb a third party.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PERIODES = {"s": 1, "m": 60, "h": 3600, "j": 86400}
# Says neither which counter was reached nor whether the address has an account.
MESSAGE_TROP_DE_DEMANDES = _(
    "Trop de demandes ont été faites pour cette adresse ou depuis votre connexion : réessayez plus tard."
)


@dataclass(frozen=True)
class Limite:
    nombre: int
    periode: int  # seconds

    @classmethod
    def depuis(cls, texte: str) -> "Limite":
        """« 3/h » (3 per hour), « 20/j » (per day), « 5/15m » (per 15 minutes)."""
        trouve = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhj])\s*", texte)
        if not trouve:
            raise ImproperlyConfigured(f"Limite illisible : « {texte} » (exemples : 3/h, 20/j, 5/15m).")
        nombre, multiple, unite = trouve.groups()
        return cls(int(nombre), int(multiple or 1) * PERIODES[unite])


def adresse_client(request) -> str | None:
    """The client's IP address: `REMOTE_ADDR`, or, behind `PROXYS_DE_CONFIANCE` reverse proxies, the address the
    nearest trusted proxy saw (the rightmost entries of X-Forwarded-For are the proxies' own; the leftmost ones
    are whatever the client chose to send, so they are never trusted)."""
    proxys = settings.PROXYS_DE_CONFIANCE
    if proxys:
        chaine = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(chaine) >= proxys:
            return chaine[-proxys]
    return request.META.get("REMOTE_ADDR") or None


def _cle(nom: str, portee: str, valeur: str) -> str:
    # Hashed: the cache is shared, and e-mail addresses have nothing to do in its keys.
    return f"limite:{nom}:{portee}:{hashlib.sha256(valeur.strip().lower().encode()).hexdigest()}"


def _compter(cle: str, limite: Limite) -> bool:
    """Count one request under `cle`; True while the count stays within the limit."""
    cache.add(cle, 0, timeout=limite.periode)
    try:
        return cache.incr(cle) <= limite.nombre
    except ValueError:  # expired between add and incr: a new window starts
        cache.set(cle, 1, timeout=limite.periode)
        return True


def autorise(nom: str, request, *, adresse: str = "") -> bool:
    """Count this request of form `nom`, per client and per e-mail `adresse` (if given); False when either went
    over its limit, in which case the form must neither mail nor create anything.

    Both counters move on every request, so that a refused client keeps being refused for the whole window.
    """
    par_client, par_adresse = Limite.depuis(settings.LIMITE_PAR_CLIENT), Limite.depuis(settings.LIMITE_PAR_ADRESSE)
    resultats = [_compter(_cle(nom, "client", adresse_client(request) or "?"), par_client)]
    if adresse:
        resultats.append(_compter(_cle(nom, "adresse", adresse), par_adresse))
    return all(resultats)


def identifiant_de_connexion(request, credentials: dict | None) -> str | None:
    """The e-mail typed at sign-in, as django-axes counts failures: one account, whatever its capitals or spaces."""
    valeur = (credentials or {}).get("username")
    if valeur is None and request is not None and hasattr(request, "POST"):
        valeur = request.POST.get("username")
    return valeur.strip().lower() if isinstance(valeur, str) else None
