"""`{% lignes_des_rencontres tableau peut_noter %}`: the rows of a pair's meetings table, cached by what they show.

A pair's rows change only when one of its meetings does, or when a day passes (the gaps, the « à confirmer »
badge): rendering them (dates in words, three links and a translation each) was most of the meetings page's
template time. They are kept in Django's cache under a digest of everything they show: each meeting's id,
date, state, mode, themes, other theme and last change, the gap and badges computed for today, whether the
visitor may edit them, and the language. The meeting's id is in the digest, so a key is one pair's: no one
sees another pair's rows. The « marquer tenue » buttons' forms hold a placeholder where each visitor's own CSRF
token is written.
"""

import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from mentorat import fragments
from mentorat.pages_publiques import JETON

register = template.Library()


def _empreinte(tableau, peut_noter: bool) -> str:
    valeurs = [get_language(), peut_noter]
    for ligne in tableau.lignes:
        r = ligne.rencontre
        themes = [theme.nom for theme in r.themes.all()]  # prefetched with the meetings
        valeurs.append((r.pk, r.date, r.etat, r.mode, r.autre_theme, r.modifie_le, themes, ligne.ecart, ligne.depasse))
        valeurs.append(ligne.a_confirmer)
    return hashlib.sha256(repr(valeurs).encode()).hexdigest()


@register.simple_tag(takes_context=True)
def lignes_des_rencontres(context, tableau, peut_noter: bool) -> SafeString:
    cle = f"lignes-rencontres:{_empreinte(tableau, peut_noter)}"
    html = cache.get(cle)
    if html is None:
        contexte = {"t": tableau, "peut_noter": peut_noter, "csrf_token": JETON}
        html = render_to_string("suivi/_lignes_rencontres.html", contexte)
        cache.set(cle, html, fragments.DUREE)
    if JETON in html:
        html = html.replace(JETON, str(context.get("csrf_token", "")))
    return mark_safe(html)  # noqa: S308 - our own template's output
