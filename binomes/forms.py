"""Forms of the pair's space and of the committee's matching screens: they validate, never act."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from candidatures import objectifs
from candidatures.models import Candidature
from mentorat.forms import DsfrForm
from mentorat.models import Corps, Utilisateur

from .models import MotifArret


def _helper(legende, champs, bouton: str, ident: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> carries the token
    # Several of these forms share a page: each fieldset needs its own id for its legend.
    helper.layout = Layout(Fieldset(legende, *champs, css_id=ident))
    helper.add_input(Submit("valider", bouton, css_id=f"bouton-{ident}"))
    return helper


class SignatureCharteForm(DsfrForm):
    signe = forms.BooleanField(
        label=_("J'ai lu la charte de déontologie et d'engagements réciproques et je la signe."),
        error_messages={"required": _("Cochez la case pour signer la charte.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Signature de la charte"), ["signe"], _("Signer la charte"), "charte")


class EngagementForm(DsfrForm):
    absence_enjeux = forms.BooleanField(
        label=_(
            "Je confirme qu'il n'existe entre mon binôme et moi aucun lien hiérarchique, aucune relation "
            "d'évaluation ni aucun enjeu professionnel, de carrière ou personnel."
        ),
        error_messages={"required": _("Cochez cette case pour confirmer l'absence d'enjeux.")},
    )
    engagement = forms.BooleanField(
        label=_("Je m'engage volontairement dans ce binôme pour l'année du programme."),
        error_messages={"required": _("Cochez cette case pour confirmer votre engagement.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Absence d'enjeux et engagement"),
            ["absence_enjeux", "engagement"],
            _("Confirmer mon engagement"),
            "engagement",
        )


class DemandeArretForm(DsfrForm):
    motif = forms.ChoiceField(
        label=_("Raison principale"),
        choices=MotifArret.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la raison principale de votre demande.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Demander l'arrêt du binôme"), ["motif"], _("Demander l'arrêt"), "demande-arret")


class ObjectifsForm(DsfrForm):
    """The pair's objectives, as the mentee revises them: three short general lines at most."""

    def __init__(self, *args, **kwargs):
        self.base_fields = objectifs.champs()
        super().__init__(*args, **kwargs)
        legende = format_html('{}<span class="fr-hint-text">{}</span>', _("Réviser nos objectifs"), objectifs.aide())
        self.helper = _helper(legende, objectifs.CHAMPS, _("Enregistrer les objectifs"), "objectifs")

    @classmethod
    def du_binome(cls, binome) -> "ObjectifsForm":
        return cls(initial=objectifs.initiales(binome.objectifs))

    def saisis(self) -> list[str]:
        return objectifs.saisis(self.cleaned_data)


# Committee screens (Django admin): plain forms, the admin has its own look.


class LigneManuelleForm(forms.Form):
    mentore = forms.ModelChoiceField(
        label=_("Mentoré·e"),
        queryset=Candidature.objects.none(),
        error_messages={"invalid_choice": _("Choix invalide.")},
    )
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=Candidature.objects.none(), error_messages={"invalid_choice": _("Choix invalide.")}
    )

    def __init__(self, *args, mentores=None, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Any application is accepted here; the service says why a forged choice is refused.
        self.fields["mentore"].queryset = Candidature.objects.select_related("utilisateur")
        self.fields["mentor"].queryset = Candidature.objects.select_related("utilisateur")
        self.fields["mentore"].choices = [("", "---------")] + [(c.pk, str(c.utilisateur)) for c in mentores or []]
        self.fields["mentor"].choices = [("", "---------")] + [(c.pk, str(c.utilisateur)) for c in mentors or []]


class ExclusionForm(LigneManuelleForm):
    motif = forms.CharField(label=_("Motif"), max_length=300)


class ValidationForm(forms.Form):
    motif = forms.CharField(
        label=_("Motif de la décision du comité"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Indiquez le motif de la décision du comité.")},
    )


class LigneForm(forms.Form):
    verrouillee = forms.BooleanField(label=_("Verrouillée"), required=False)
    referent = forms.ModelChoiceField(
        label=_("Référent"),
        queryset=Utilisateur.objects.ingenieurs(),
        required=False,
        error_messages={"invalid_choice": _("Le référent doit être un ingénieur ou une ingénieure en mentorat actif.")},
    )


class FiltresPropositionForm(forms.Form):
    """The matching screen's filters (GET): a wrong value is ignored, never an error."""

    corps = forms.ChoiceField(label=_("Corps de la personne mentorée"), required=False)
    region = forms.ChoiceField(label=_("Région (de l'un ou l'autre)"), required=False)
    score_max = forms.IntegerField(label=_("Score inférieur à"), required=False, min_value=0, max_value=101)
    afficher = forms.ChoiceField(
        label=_("Afficher"),
        required=False,
        choices=[("", _("les binômes proposés")), ("seuls", _("seulement les personnes sans binôme"))],
    )

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        corps, region = self.fields["corps"], self.fields["region"]
        assert isinstance(corps, forms.ChoiceField) and isinstance(region, forms.ChoiceField)
        corps.choices = [("", _("Tous")), *Corps.choices]
        region.choices = [("", _("Toutes")), *((r, r) for r in regions)]
