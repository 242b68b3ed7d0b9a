"""Fragments of public pages that are the same for every visitor, kept in Django's cache (`{% cache %}`).

Only what an anonymous visitor sees without having typed anything is cached: the home page's content and the
application forms' fields before any input. Nothing personal is ever in a fragment: the page's header (who is signed
in), its messages and the form's CSRF token are rendered around it at each request. A fragment's key holds everything
it shows: the promotion's values (a change of any field, even by `update()`, gives a new key), whether its
applications are open, the day, and the version of the reference tables (themes), bumped whenever a theme changes.
The current promotion itself, for an anonymous visitor's page, is read from the cache under that version, bumped too
when a promotion is saved or deleted: such a page is served with no query at all.
"""

import hashlib
import time
from typing import TYPE_CHECKING, cast

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Promotion

# Seconds a fragment is kept: an upper bound on how stale a change missed by the keys could be.
DUREE = 600
CLE_VERSION = "fragments-publics:version"
CLE_PROMOTION = "fragments-publics:promotion-courante"
# What `lire_avec_la_version` gives when nothing was kept under the current version (None may be a kept value).
MANQUANTE = object()


def version() -> str:
    """The reference tables' version: a new one after each change of a theme."""
    valeur = cache.get(CLE_VERSION)
    if valeur is None:
        cache.add(CLE_VERSION, str(time.time_ns()), timeout=None)
        valeur = cache.get(CLE_VERSION, "0")
    return str(valeur)


def invalider(**kwargs) -> None:
    """Receiver of the signals of the tables the fragments show (`mentorat.signaux`): a new version now, and again
    once the change is committed, so that a page that read the old rows meanwhile is not kept under the new one."""
    _nouvelle_version()
    transaction.on_commit(_nouvelle_version)


def _nouvelle_version() -> None:
    cache.set(CLE_VERSION, str(time.time_ns()), timeout=None)


def promotion_courante() -> "tuple[Promotion | None, str]":
    """The current promotion (or None) as the public pages show it, with the version (`version()`): both from the
    cache in one read, no query once they are there.

    The promotion is kept with the version it was read under, which a promotion saved or deleted renews: a change
    made in the admin shows at once. The opening and closing of applications are compared with the time at each
    request (`cle`). A change that sends no signal (`update()`, raw SQL) shows within `DUREE` seconds, the time an
    entry is kept. One read, not two: served from the cache, an anonymous visitor's page spends most of its time in
    round trips to Redis (four before, measured with `manage.py bench --profil`).
    """
    from .models import Promotion  # models are not loaded yet when templates load this module

    courante, promotion = lire_avec_la_version(CLE_PROMOTION)
    if promotion is MANQUANTE:
        promotion = Promotion.objects.courante()
        garder_avec_la_version(CLE_PROMOTION, courante, promotion)
    return cast("Promotion | None", promotion), courante


def lire_avec_la_version(cle: str) -> tuple[str, object]:
    """The current version (`version()`) and what `garder_avec_la_version` kept under `cle` with that same version,
    else `MANQUANTE`: both in one round trip to the cache."""
    lues = cache.get_many([CLE_VERSION, cle])
    valeur = lues.get(CLE_VERSION)
    courante = version() if valeur is None else str(valeur)
    gardee = lues.get(cle)  # (the version it was kept under, the value)
    return courante, gardee[1] if gardee is not None and gardee[0] == courante else MANQUANTE


def garder_avec_la_version(cle: str, version_lue: str, valeur: object, duree: int = DUREE) -> None:
    """Keep `valeur` under `cle` with `version_lue`, the version read before computing it: `lire_avec_la_version`
    gives it back only while that version is current."""
    cache.set(cle, (version_lue, valeur), duree)


def empreinte(objet: Model | None) -> str:
    """A short digest of every concrete field's value of `objet` (None: "-")."""
    if objet is None:
        return "-"
    valeurs = [repr(getattr(objet, champ.attname)) for champ in objet._meta.concrete_fields]
    return hashlib.sha256("|".join(valeurs).encode()).hexdigest()[:20]


def cle(promotion, *parties, version_lue: str | None = None) -> str:
    """The key of a public fragment showing `promotion`: its values, its application state, today, the version
    (`version_lue` when the caller has just read it with the promotion, `promotion_courante`)."""
    maintenant = timezone.now()
    etat = "-"
    if promotion is not None:
        etat = (
            "ouvertes"
            if promotion.candidatures_ouvertes(maintenant)
            else ("a-venir" if promotion.candidatures_a_venir(maintenant) else "closes")
        )
    jour = timezone.localdate().isoformat()
    return ":".join([empreinte(promotion), etat, jour, version_lue or version(), *map(str, parties)])


def tables_des_droits() -> tuple[type[Model], ...]:
    """The accounts' table and those of their groups and permissions: what a committee page shows its reader
    follows them, so a page cached per reader is keyed on their version too."""
    # Imported here: this module is loaded by templates and views, possibly before the auth app's models.
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    utilisateur = get_user_model()
    return (utilisateur, utilisateur.groups.through, utilisateur.user_permissions.through, Group.permissions.through)


def version_des_donnees(*modeles: type[Model]) -> str | None:
    """A version of the data of the tables of `modeles` (one indexed query), to key a committee page's cached part
    on the data it shows: a new one after any committed insertion, update or deletion in one of them, even through
    `update()`, `bulk_create()`, raw SQL or a TRUNCATE. None where the database cannot give one cheaply (SQLite, or
    a table without a version: `versions.SANS_VERSION`): the page is then computed each time.

    On PostgreSQL, the tables' counters (`mentorat.versions`, moved by triggers at each commit that wrote them),
    and, in a transaction that has itself written one of them, the state of its own writes: a page computed from
    uncommitted rows is never keyed as the committed data's."""
    if connection.vendor != "postgresql":
        return None
    tables = sorted({modele._meta.db_table for modele in modeles})
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT count(*), string_agg(numero::text, '.' ORDER BY \"table\"),"
            " coalesce(current_setting('mentorat.tables_ecrites', true), ''),"
            " current_setting('mentorat.ecriture', true)"
            ' FROM mentorat_versiondonnees WHERE "table" = ANY(%s)',
            [tables],
        )
        nombre, numeros, ecrites, ecriture = curseur.fetchone()
    if nombre != len(tables):
        return None
    if any(f",{table}," in ecrites for table in tables):
        numeros += f":{ecriture}"
    return hashlib.sha256(numeros.encode()).hexdigest()[:24]
