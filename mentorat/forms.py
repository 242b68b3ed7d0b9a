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


class NouveauMotDePasseForm(DsfrMixin, auth_forms.SetPasswordForm):
    pass


class ChangementMotDePasseForm(DsfrMixin, auth_forms.PasswordChangeForm):
    pass
