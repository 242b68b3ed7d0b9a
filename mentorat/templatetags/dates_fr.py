"""`{{ jour|date_fr:"l j F Y" }}`: the `date` filter, with the first of the month written "1er" (a builtin)."""

import datetime

from django import template

from mentorat.dates import date_fr as formater

register = template.Library()


@register.filter(expects_localtime=True)  # an aware datetime arrives in Paris time, as with `date`
def date_fr(valeur: datetime.date | str | None, format: str = "j F Y") -> str:
    if not isinstance(valeur, datetime.date):
        return ""  # an empty value, as `date` renders it
    return formater(valeur, format)
