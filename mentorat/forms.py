from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrMixin:
    """Renders each field with django-dsfr's snippet (label, hint, error linked by aria)."""

    bound_field_class = DsfrBoundField
    template_name = "dsfr/form_snippet.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound_field in self.visible_fields():
            dsfr_input_class_attr(bound_field)

    def full_clean(self):
        super().full_clean()
        # Once errors are known, tie each invalid widget to its message for screen readers.
        for bound_field in self.visible_fields():
            dsfr_input_class_attr(bound_field)


class DsfrForm(DsfrMixin, forms.Form):
    pass


class DsfrModelForm(DsfrMixin, forms.ModelForm):
    pass


def helper_simple(libelle_bouton: str) -> FormHelper:
    """A crispy helper for a one-button form (the form tag stays in the template)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("valider", libelle_bouton))
    return helper


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
