"""`{% formulaire_vide form %}`: `{% crispy form %}`, rendered once per process for a form that is empty for everyone.

A form neither sent nor pre-filled (the charter's signature, the commitment, the request to stop, the
transmission of the tracking table) shows the same fields to every person: crispy-forms' layout and django-dsfr's
field snippets cost several milliseconds each time. Its HTML is kept per form class and language and reused
(`commun.une_fois_par_processus`).
Use it only for forms whose fields and choices are fixed in code (never read from the database: a new row would
not show). Only forms without their own `<form>` tag and with `disable_csrf` are kept: else the layout would hold
the visitor's CSRF token, which the page writes itself outside the form's fields. Any other form (sent, with
errors, pre-filled) is rendered as before.
"""

from crispy_forms.utils import render_crispy_form
from django import forms, template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from mentorat.templatetags.commun import une_fois_par_processus

register = template.Library()


def _le_meme_pour_tous(form: forms.BaseForm) -> bool:
    helper = getattr(form, "helper", None)
    return (
        not form.is_bound
        and not form.initial
        and helper is not None
        and not helper.form_tag
        # The layout would write the visitor's CSRF token among the fields: never kept for another.
        and helper.disable_csrf
    )


@register.simple_tag(takes_context=True)
def formulaire_vide(context, form: forms.BaseForm) -> SafeString:
    if not _le_meme_pour_tous(form):
        return mark_safe(render_crispy_form(form, context=context.flatten()))  # noqa: S308 - crispy's own output
    return une_fois_par_processus(
        ("formulaire", type(form), get_language()),
        lambda: mark_safe(render_crispy_form(form)),  # noqa: S308 - crispy's own output
    )
