from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from rgpd import views as rgpd_views

from . import forms, proconnect, views

comptes = [
    path(
        "connexion/",
        views.Connexion.as_view(
            authentication_form=forms.ConnexionForm, extra_context={"page_title": _("Se connecter")}
        ),
        name="login",
    ),
    path("deconnexion/", views.Deconnexion.as_view(), name="logout"),
    path("double-authentification/", views.second_facteur, name="second_facteur"),
    path("double-authentification/activer/", views.activer_second_facteur, name="activer_second_facteur"),
    path("double-authentification/codes-de-secours/", views.codes_de_secours, name="codes_de_secours"),
    path("proconnect/", proconnect.Connexion.as_view(), name="proconnect_connexion"),
    path("proconnect/retour/", proconnect.Retour.as_view(), name="proconnect_retour"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(
            form_class=forms.ChangementMotDePasseForm, extra_context={"page_title": _("Changer de mot de passe")}
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(extra_context={"page_title": _("Mot de passe modifié")}),
        name="password_change_done",
    ),
    path(
        "mot-de-passe/oublie/",
        views.Reinitialisation.as_view(
            form_class=forms.ReinitialisationForm,
            email_template_name="emails/reinitialisation-body.txt",
            html_email_template_name="emails/reinitialisation-body.html",
            subject_template_name="emails/reinitialisation-subject.txt",
            extra_context={"page_title": _("Mot de passe oublié")},
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(extra_context={"page_title": _("Courriel envoyé")}),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=forms.NouveauMotDePasseForm, extra_context={"page_title": _("Nouveau mot de passe")}
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/reinitialise/",
        auth_views.PasswordResetCompleteView.as_view(extra_context={"page_title": _("Mot de passe réinitialisé")}),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("arrivee/", views.arrivee, name="arrivee"),
    path(
        "accessibilite/",
        views.page_statique,
        {"gabarit": "mentorat/accessibilite.html", "titre": _("Déclaration d'accessibilité")},
        name="accessibilite",
    ),
    path(
        "mentions-legales/",
        views.page_statique,
        {"gabarit": "mentorat/mentions_legales.html", "titre": _("Mentions légales")},
        name="mentions_legales",
    ),
    # The privacy page states the retention periods that the code applies: the personal-data app renders it.
    path("donnees-personnelles/", rgpd_views.politique, name="donnees_personnelles"),
    path("healthz/", views.healthz, name="healthz"),
    path("compte/", include(comptes)),
    path("", include("candidatures.urls")),
    path("", include("binomes.urls")),
    path("", include("suivi.urls")),
    path("", include("evaluation.urls")),
    path("", include("rgpd.urls")),
    path("admin/", admin.site.urls),
]
