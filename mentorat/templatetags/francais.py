"""`{{ personne|de }}`: "de Bruno Bernard" but "d'Elsa Urvoy", the elision French makes before a vowel or a mute h."""

import unicodedata

from django import template

register = template.Library()

VOYELLES = "aeiouyh"


@register.filter
def de(nom: object) -> str:
    texte = str(nom)
    # The first letter without its accent: "Émilie" elides as "Emilie" does.
    initiale = unicodedata.normalize("NFD", texte[:1])[:1].lower()
    return f"d'{texte}" if initiale and initiale in VOYELLES else f"de {texte}"
