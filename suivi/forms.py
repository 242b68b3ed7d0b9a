from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from candidatures.models import Theme
from mentorat.forms import DsfrForm, DsfrModelForm

from .models import Mode, Moment, Rencontre

CONFIDENTIALITE = _(
    "Seules la date, la modalité et les grandes thématiques de la rencontre sont notées. "
    "Le contenu de vos échanges reste confidentiel : il n'est jamais enregistré ici."
)


class RencontreForm(DsfrModelForm):
    """Date, mode and general themes of a meeting; the pair is given by the view, never by the form."""

    date = forms.DateField(
        label=_("Date de la rencontre"),
        help_text=_("Une date à venir enregistre une rencontre prévue, à confirmer ensuite."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mode = forms.ChoiceField(label=_("Modalité"), choices=Mode.choices, widget=forms.RadioSelect)
    themes = forms.ModelMultipleChoiceField(
        label=_("Thématiques abordées"),
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Rencontre
        fields = ["date", "mode", "themes", "autre_theme"]
        labels = {"autre_theme": _("Autre thématique")}
        help_texts = {"autre_theme": _("Un intitulé court, 80 caractères au plus.")}

    def __init__(self, *args, binome, **kwargs):
        super().__init__(*args, **kwargs)
        self.binome = binome
        self.fields["themes"].queryset = Theme.objects.filter(actif=True).order_by("ordre", "nom")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            HTML(f'<div class="fr-callout fr-mb-4w"><p class="fr-callout__text">{CONFIDENTIALITE}</p></div>'),
            Fieldset(_("Quand et comment"), "date", "mode"),
            Fieldset(_("Grandes thématiques"), "themes", "autre_theme"),
        )
        self.helper.add_input(Submit("enregistrer", _("Enregistrer la rencontre")))

    def clean_date(self):
        date = self.cleaned_data["date"]
        promotion = self.binome.promotion
        if not promotion.journee_lancement <= date <= promotion.fin:
            raise forms.ValidationError(
                _("Choisissez une date entre la journée de lancement (%(debut)s) et la fin du programme (%(fin)s).")
                % {
                    "debut": formats.date_format(promotion.journee_lancement),
                    "fin": formats.date_format(promotion.fin),
                }
            )
        if self.instance.est_tenue and date > timezone.localdate():
            raise forms.ValidationError(_("Cette rencontre est notée comme tenue : sa date ne peut pas être à venir."))
        doublon = self.binome.rencontres.filter(date=date).exclude(pk=self.instance.pk)
        if doublon.exists():
            raise forms.ValidationError(_("Une rencontre est déjà notée à cette date pour votre binôme."))
        return date

    def clean_autre_theme(self):
        return " ".join(self.cleaned_data["autre_theme"].split())


class TransmissionForm(DsfrForm):
    moment = forms.ChoiceField(label=_("Étape"), choices=Moment.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Fieldset(_("Transmettre le tableau de suivi aux ingénieurs"), "moment"))
        self.helper.add_input(Submit("transmettre", _("Transmettre le tableau")))


class ChoixPromotionForm(DsfrForm):
    promotion = forms.TypedChoiceField(label=_("Promotion"), coerce=int)
    mes_binomes = forms.BooleanField(label=_("Seulement les binômes dont je suis référent·e"), required=False)

    def __init__(self, *args, promotions, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices from a list already loaded: the select is rendered without a query of its own.
        self.promotions = {p.pk: p for p in promotions}
        self.fields["promotion"].choices = [(p.pk, p.nom) for p in promotions]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.layout = Layout(Fieldset(_("Filtrer"), "promotion", "mes_binomes"))
        self.helper.add_input(Submit("afficher", _("Afficher")))

    def clean_promotion(self):
        return self.promotions.get(self.cleaned_data["promotion"])
