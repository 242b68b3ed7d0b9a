from django.urls import path

from . import views

app_name = "binomes"

urlpatterns = [
    path("espace/", views.espace, name="espace"),
    path("espace/binome/<int:pk>/", views.detail, name="detail"),
    path("espace/binome/<int:pk>/charte/", views.signer_charte, name="signer_charte"),
    path("espace/binome/<int:pk>/engagement/", views.confirmer_engagement, name="confirmer_engagement"),
    path("espace/binome/<int:pk>/objectifs/", views.modifier_objectifs, name="modifier_objectifs"),
    path("espace/binome/<int:pk>/arret/demande/", views.demander_arret, name="demander_arret"),
]
