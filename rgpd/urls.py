from django.urls import path

from . import views

app_name = "rgpd"

urlpatterns = [
    path("mes-donnees/", views.mes_donnees, name="mes_donnees"),
    path("mes-donnees/telecharger.json", views.telecharger_json, name="telecharger_json"),
    path("mes-donnees/telecharger.pdf", views.telecharger_pdf, name="telecharger_pdf"),
    path("mes-donnees/effacement/", views.demander_effacement, name="demander_effacement"),
]
