from django.urls import path

from . import views

app_name = "suivi"

urlpatterns = [
    path("espace/rencontres/", views.rencontres, name="rencontres"),
    path("espace/rencontres/ajouter/", views.ajouter, name="ajouter"),
    path("espace/rencontres/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("espace/rencontres/<int:pk>/supprimer/", views.supprimer, name="supprimer"),
    path("espace/rencontres/<int:pk>/tenue/", views.marquer_tenue, name="marquer_tenue"),
    path("espace/rencontres/transmettre/", views.transmettre, name="transmettre"),
    path("espace/calendrier/", views.page_calendrier, name="calendrier"),
    path("espace/calendrier/nouveau-lien/", views.regenerer_lien, name="regenerer_lien"),
    path("calendrier/<str:jeton>.ics", views.ics, name="ics"),
    path("espace/temps-collectifs/", views.mes_evenements, name="evenements"),
    path("espace/temps-collectifs/<int:pk>/reponse/", views.repondre_evenement, name="repondre_evenement"),
    path("suivi/temps-collectifs/", views.evenements_suivi, name="evenements_suivi"),
    path("suivi/temps-collectifs/<int:pk>/presences/", views.presences, name="presences"),
    path("suivi/temps-collectifs/<int:pk>/invitations/", views.inviter, name="inviter"),
    path("suivi/", views.tableau_de_bord, name="tableau_de_bord"),
    path("suivi/binomes/<int:pk>/", views.binome, name="binome"),
    path("suivi/binomes/<int:pk>/arret/", views.enregistrer_arret, name="enregistrer_arret"),
    path("suivi/promotions/<int:pk>/tableaux.csv", views.export_csv, name="export_csv"),
    path("suivi/promotions/<int:pk>/tableaux.pdf", views.export_pdf, name="export_pdf"),
    path("suivi/exports/<uuid:pk>/", views.export, name="export"),
    path("suivi/exports/<uuid:pk>/telecharger/", views.telecharger_export, name="telecharger_export"),
]
