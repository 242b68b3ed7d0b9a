from django.urls import path

from . import views

app_name = "candidatures"

urlpatterns = [
    path("candidater/mentore/", views.candidater, {"role": "mentore"}, name="candidater_mentore"),
    path("candidater/mentor/", views.candidater, {"role": "mentor"}, name="candidater_mentor"),
    path("candidater/mentor/a-nouveau/", views.candidater_a_nouveau, name="candidater_a_nouveau"),
    path("candidature/", views.mon_espace, name="mon_espace"),
    path("candidature/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("candidature/<int:pk>/retirer/", views.retirer, name="retirer"),
    path("candidature/confirmer/renvoyer/", views.renvoyer_confirmation, name="renvoyer_confirmation"),
    path("candidature/confirmer/<uidb64>/<jeton>/", views.confirmer_email, name="confirmer_email"),
    path("comite/promotion/<int:pk>/places/", views.places_promotion, name="places"),
    path("comite/liste-attente/<int:pk>/deplacer/", views.deplacer, name="deplacer"),
    path("comite/liste-attente/<int:pk>/retenir/", views.retenir_depuis_la_liste, name="retenir_depuis_la_liste"),
]
