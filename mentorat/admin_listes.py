"""ModelAdmin mixins for the committee's long lists: what each row costs, paid once per row and no more."""

from django.contrib.admin import helpers
from django.utils.html import format_html
from django.utils.translation import gettext as _


class CaseACocherDirecte:
    """Each row's action checkbox written directly, in the very markup of Django's `CheckboxInput`: rendering the
    widget's template for every row was the largest single cost of a page of 50 rows."""

    def action_checkbox(self, obj):
        libelle = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            libelle,
        )
