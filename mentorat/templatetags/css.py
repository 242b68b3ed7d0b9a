"""`{{ texte|chaine_css }}`: a text written inside a CSS string (`content: "…"` in a PDF's margin boxes).

`escapejs` is not the escaping CSS reads: CSS has no `\\uXXXX`, so a promotion named « 2025-2026 » was printed
« 2025u002D2026 » in its tracking tables' footer. Here each character that could end the string, the rule or the
`<style>` element is written as CSS's own escape (a backslash, its hexadecimal code, a space); the rest, accents
included, is kept as it is.
"""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_A_ECHAPPER = frozenset("\\\"'<>&{};")


def _echappe(caractere: str) -> str:
    if caractere == "\0":
        return "\ufffd"  # as CSS reads a NUL
    if caractere in _A_ECHAPPER or ord(caractere) < 0x20 or ord(caractere) == 0x7F:
        return f"\\{ord(caractere):x} "
    return caractere


@register.filter
def chaine_css(valeur: object) -> SafeString:
    # Safe as it is written: neither HTML's escaping (read literally inside <style>) nor anything that could close
    # the string, the rule or the element remains.
    return mark_safe("".join(_echappe(caractere) for caractere in str(valeur)))  # noqa: S308
