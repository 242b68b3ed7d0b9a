from django import forms
from django.contrib.auth import forms as auth_forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrMixin:
    """Renders each field with django-dsfr's snippet (label, hint, error linked by aria)."""

    bound_field_class = DsfrBoundField
    template_name = "dsfr/form_snippet.html"

    def __getitem__(self, name: str) -> BoundField:
        # The DSFR classes are set when a field is rendered, so that fields added or replaced in a subclass's
        # __init__ get them too; once errors are known, each invalid widget is tied to its message for
        # screen readers.
        return dsfr_input_class_attr(super().__getitem__(name))  # type: ignore[misc]


class DsfrForm(DsfrMixin, forms.Form):
    pass


class DsfrModelForm(DsfrMixin, forms.ModelForm):
    pass


class ConnexionForm(DsfrMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Adresse électronique ou mot de passe incorrect. Vérifiez votre saisie ; "
            "les majuscules comptent dans le mot de passe."
        ),
        "inactive": _("Ce compte est désactivé. Contactez le comité de mentorat."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Adresse électronique")
        self.fields["username"].widget.attrs["autocomplete"] = "email"


class ReinitialisationForm(DsfrMixin, auth_forms.PasswordResetForm):
    pass


def _journaliser_mot_de_passe(utilisateur) -> None:
    from . import journal
    from .rules import compte_du_comite

    if compte_du_comite(utilisateur):
        journal.consigner(journal.Action.MOT_DE_PASSE_CHANGE, par=utilisateur, objet=utilisateur)


class NouveauMotDePasseForm(DsfrMixin, auth_forms.SetPasswordForm):
    def save(self, commit=True):
        utilisateur = super().save(commit)
        _journaliser_mot_de_passe(utilisateur)
        return utilisateur


class ChangementMotDePasseForm(DsfrMixin, auth_forms.PasswordChangeForm):
    def save(self, commit=True):
        utilisateur = super().save(commit)
        _journaliser_mot_de_passe(utilisateur)
        return utilisateur


class CodeForm(DsfrForm):
    """The code of the authenticator application, or a recovery code (`second_facteur.verifier` decides)."""

    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=32,
        help_text=_("Les 6 chiffres affichés par votre application, ou l'un de vos codes de secours."),
        error_messages={"required": _("Saisissez le code affiché par votre application.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )


class ActivationForm(DsfrForm):
    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=12,
        help_text=_("Le code que l'application affiche pour Mentorat CNG après avoir scanné le code QR."),
        error_messages={"required": _("Saisissez le code affiché par votre application.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
