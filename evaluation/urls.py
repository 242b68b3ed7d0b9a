from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("evaluation/", views.campagnes, name="campagnes"),
    path("evaluation/mes-syntheses/", views.mes_syntheses, name="mes_syntheses"),
    path("evaluation/campagnes/<int:pk>/", views.synthese_campagne, name="synthese"),
    path("evaluation/campagnes/<int:pk>/redaction/", views.rediger, name="rediger"),
    path("evaluation/campagnes/<int:pk>/publier/", views.publier, name="publier"),
    path("evaluation/campagnes/<int:pk>/synthese.pdf", views.telecharger_pdf, name="pdf"),
    path("questionnaire/<str:jeton>/", views.questionnaire, name="questionnaire"),
]
