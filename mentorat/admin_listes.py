"""ModelAdmin mixins for the committee's long lists: what each row costs, paid once per row and no more."""

from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Model
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import fragments


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


# Seconds a page of rows stays cached at most (its key changes with the data anyway).
DUREE_DES_LIGNES = 600
FRAGMENT_DES_LIGNES = "lignes_de_la_liste"


class LignesEnCache:
    """A list page's rows and actions (`templates/admin/change_list.html`) kept in the cache for each reader, keyed
    by everything they show: the model, the reader (their links, actions and columns follow their permissions: no
    page is ever shared between two people), the whole query string (filters, search, order, page), the language,
    the day, and a version of every table the rows show or the reader's permissions come from
    (`fragments.version_des_donnees`). The rows' query runs only when the cache has not the page: the table of
    rows, read lazily, is rendered only then. Only a plain GET is cached (never a POST's actions or errors)."""

    # The models whose rows the list's cells show, beside the model itself.
    tables_des_lignes: tuple[type[Model], ...] = ()
    model: type[Model]  # the ModelAdmin's

    def changelist_view(self, request, extra_context=None):
        reponse = super().changelist_view(request, extra_context)
        contexte = getattr(reponse, "context_data", None)
        liste = contexte.get("cl") if contexte else None
        if request.method == "GET" and liste is not None and liste.formset is None:
            cle = self.cle_des_lignes(request)
            if cle is not None:
                contexte["cle_des_lignes"] = cle
                contexte["duree_des_lignes"] = DUREE_DES_LIGNES
        return reponse

    def cle_des_lignes(self, request) -> str | None:
        utilisateur = get_user_model()
        version = fragments.version_des_donnees(
            self.model,
            *self.tables_des_lignes,
            utilisateur,
            utilisateur.groups.through,
            utilisateur.user_permissions.through,
            Group.permissions.through,
        )
        if version is None:
            return None
        parties = [
            self.model._meta.label,
            request.user.pk,
            request.GET.urlencode(),
            get_language(),
            timezone.localdate(),
        ]
        return ":".join(map(str, [*parties, version]))

    @staticmethod
    def lignes_en_cache(reponse) -> bool:
        """Whether the page's rows will come from the cache: the view may then skip what only they need."""
        cle = getattr(reponse, "context_data", {}).get("cle_des_lignes")
        return cle is not None and cache.has_key(make_template_fragment_key(FRAGMENT_DES_LIGNES, [cle]))
