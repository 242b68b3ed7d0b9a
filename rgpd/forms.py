from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mentorat.forms import DsfrForm

from . import services
from .models import DemandeEffacement


class DemandeEffacementForm(DsfrForm):
    message = forms.CharField(
        label=_("Message au comité (facultatif)"),
        help_text=_("Par exemple, ce que vous souhaitez voir effacé ou la raison de votre demande."),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TraitementDemandeForm(forms.ModelForm):
    """The engineer's answer to an erasure request, in the admin: accept (the data is erased) or refuse, with a
    reason the person will read."""

    ACCEPTER, REFUSER = "accepter", "refuser"
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(ACCEPTER, _("Accepter : effacer les données de la personne")), (REFUSER, _("Refuser"))],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = DemandeEffacement
        fields = ["motif_refus"]
        help_texts = {"motif_refus": _("Obligatoire en cas de refus : il est envoyé à la personne.")}

    def clean(self):
        donnees = super().clean()
        if donnees.get("decision") == self.REFUSER and not (donnees.get("motif_refus") or "").strip():
            self.add_error("motif_refus", _("Indiquez le motif du refus : il est envoyé à la personne."))
        if donnees.get("decision") == self.ACCEPTER:
            try:
                services.verifier_effacement_possible(self.instance)
            except services.EffacementImpossible as raison:
                raise ValidationError(str(raison)) from raison
        return donnees
