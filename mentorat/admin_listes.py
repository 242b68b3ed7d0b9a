"""ModelAdmin mixins for the committee's long lists: what each row costs, paid once per row and no more."""

from collections.abc import Sequence

from django.contrib.admin import helpers
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Model
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import fragments, pages_du_lecteur


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
    (`fragments.version_des_donnees`). The whole page is kept for the reader under that key; below it, its rows and
    filters, whose query runs only when the cache has not the rows (Django's count of them is computed from the
    list's count). Only a plain GET is cached (never a POST's actions or errors, nor a page with a message)."""

    # The models whose rows the list's cells show, beside the model itself.
    tables_des_lignes: tuple[type[Model], ...] = ()
    model: type[Model]  # the ModelAdmin's

    def get_changelist_instance(self, request):
        liste = super().get_changelist_instance(request)
        if not hasattr(request, "cle_des_lignes"):  # set by `changelist_view` for a GET of the list
            request.cle_des_lignes = None
            if request.method == "GET" and not liste.list_editable:
                request.cle_des_lignes = self.cle_des_lignes(request)
        if request.cle_des_lignes is not None and cache.has_key(
            make_template_fragment_key(FRAGMENT_DES_LIGNES, [request.cle_des_lignes])
        ):
            # Django's list counts the page's rows (its « 0 sur N sélectionné »): known from the count it made.
            liste.result_list = LignesEnCacheDeLaPage(liste.result_list, nombre_de_lignes(liste))
        return liste

    def changelist_view(self, request, extra_context=None):
        # The whole page, once Django's own permission check passes, is the reader's under the rows' key
        # (`mentorat.pages_du_lecteur`, with the query string): the list is neither built, counted nor drawn again.
        request.cle_des_lignes = None
        if request.method == "GET" and not self.list_editable and self.has_view_or_change_permission(request):
            request.cle_des_lignes = self.cle_des_lignes(request)
        if request.cle_des_lignes is None:
            return self._liste(request, extra_context)
        return pages_du_lecteur.servir(
            request, request.cle_des_lignes, lambda: self._liste(request, extra_context), avec_requete=True
        )

    def _liste(self, request, extra_context):
        reponse = super().changelist_view(request, extra_context)
        contexte = getattr(reponse, "context_data", None)
        cle = getattr(request, "cle_des_lignes", None)
        if contexte and contexte.get("cl") is not None and cle is not None:
            contexte["cle_des_lignes"] = cle
            contexte["duree_des_lignes"] = DUREE_DES_LIGNES
        return reponse

    def cle_des_lignes(self, request) -> str | None:
        version = fragments.version_des_donnees(self.model, *self.tables_des_lignes, *fragments.tables_des_droits())
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
        liste = getattr(reponse, "context_data", {}).get("cl")
        return liste is not None and isinstance(liste.result_list, LignesEnCacheDeLaPage)


def nombre_de_lignes(liste) -> int:
    """The number of rows of the page a Django `ChangeList` shows, from its count (as in `ChangeList.get_results`)."""
    if (liste.show_all and liste.can_show_all) or not liste.multi_page:
        return liste.result_count
    return max(0, min(liste.list_per_page, liste.result_count - (liste.page_num - 1) * liste.list_per_page))


class LignesEnCacheDeLaPage(Sequence):
    """A page's rows that the cache holds drawn: their number without a query; read only if something iterates."""

    def __init__(self, lignes, nombre: int):
        self.lignes = lignes
        self.nombre = nombre

    def __len__(self) -> int:
        return self.nombre

    def __getitem__(self, rang):
        return self.lignes[rang]

    def __iter__(self):
        return iter(self.lignes)
