"""The committee's workspace: the one admin site of the project, in the State's colours and words.

Every `@admin.register` and `admin.site` of the apps lands here (`ComiteAdminConfig.default_site`): the
programme dashboard is its home page, the header names the person signed in and their role.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules


def role_du_membre(user) -> str:
    """What the header says of the person signed in: their role in the committee."""
    if rules.est_ingenieur(user):
        return _("Ingénieur·e en mentorat")
    if rules.est_pilote(user):
        return _("Pilote du programme")
    if user.is_superuser:
        return _("Administration technique")
    return _("Membre du personnel")


class SiteDuComite(admin.AdminSite):
    site_header = gettext_lazy("Mentorat — espace du comité")
    site_title = gettext_lazy("Espace du comité")
    index_title = gettext_lazy("Tableau de bord du programme")
    enable_nav_sidebar = False  # the header's menu and the dashboard's shortcuts lead everywhere

    def each_context(self, request):
        contexte = self._contexte_de_django(request)
        if request.user.is_authenticated:
            contexte["role_du_membre"] = role_du_membre(request.user)
            contexte["est_ingenieur"] = rules.est_ingenieur(request.user)
        return contexte

    def _contexte_de_django(self, request) -> dict:
        """`AdminSite.each_context`, the list of apps (a permission check per model) built only if a template reads
        it: its one reader, the side menu, is off here (tests check that the keys stay Django's)."""
        script_name = request.META["SCRIPT_NAME"]
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": script_name if self.site_url == "/" and script_name else self.site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }

    def index(self, request, extra_context=None):
        """The programme dashboard, for the promotion asked for (or the one whose year is running). Its figures are
        computed only when the cache has none for this promotion, role and state of the data (`admin/index.html`)."""
        from . import tableau_de_bord

        choix = tableau_de_bord.choisir(request.user, request.GET.get("promotion"))
        cle = tableau_de_bord.cle_du_cache(choix)
        contexte = {
            **self.each_context(request),
            "title": self.index_title,
            "subtitle": None,
            "promotion": choix.promotion,
            "tableau": SimpleLazyObject(lambda: tableau_de_bord.calculer(choix)),
            "cle_du_programme": cle,
            "duree_du_programme": tableau_de_bord.DUREE_DU_CACHE,
            # The list of every admin page follows the reader's permissions: cached for this reader only, under the
            # figures' key (which holds the version of the permissions' tables), built only when not in the cache.
            "cle_des_rubriques": f"{request.user.pk}:{cle}" if cle else None,
            "app_list": SimpleLazyObject(lambda: self.get_app_list(request)),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/index.html", contexte)


class ChampsEditablesEtiquetes:
    """For a ModelAdmin with `list_editable`: each field of the list's rows named for screen readers (RGAA 11.1),
    where Django gives them no label. (The list's formset builds its form from `formfield_for_dbfield`.)"""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        champ = super().formfield_for_dbfield(db_field, request, **kwargs)
        if champ is not None and db_field.name in getattr(self, "list_editable", ()):
            champ.widget.attrs.setdefault("aria-label", str(champ.label))
        return champ
