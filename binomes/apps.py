from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BinomesConfig(AppConfig):
    name = "binomes"
    verbose_name = _("Binômes")

    def ready(self):
        from mentorat.donnees_de_reference import restaurer_si_vide

        restaurer_si_vide(self, "Charte", "0004_charte_version_1")
