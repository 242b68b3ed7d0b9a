import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from binomes.models import MotifArret
from candidatures.models import Theme
from mentorat.forms import DsfrForm, DsfrModelForm

from .models import Mode, Moment, Participation, Rencontre, ReponseInvitation
from .tableau import Vigilance

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
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.helper.layout = Layout(Fieldset(_("Transmettre le tableau de suivi aux ingénieurs"), "moment"))
        self.helper.add_input(Submit("transmettre", _("Transmettre le tableau")))


class ChoixPromotionForm(DsfrForm):
    promotion = forms.TypedChoiceField(label=_("Promotion"), coerce=int)
    mes_binomes = forms.BooleanField(label=_("Seulement les binômes dont je suis référent·e"), required=False)
    situation = forms.ChoiceField(label=_("Situation"), required=False)

    def __init__(self, *args, promotions, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices from a list already loaded: the select is rendered without a query of its own.
        self.promotions = {p.pk: p for p in promotions}
        self.fields["promotion"].choices = [(p.pk, p.nom) for p in promotions]
        situation = self.fields["situation"]
        assert isinstance(situation, forms.ChoiceField)
        situation.choices = [("", _("Toutes")), *Vigilance.choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.layout = Layout(Fieldset(_("Filtrer"), "promotion", "situation", "mes_binomes"))
        self.helper.add_input(Submit("afficher", _("Afficher")))

    def clean_promotion(self):
        return self.promotions.get(self.cleaned_data["promotion"])


AUCUNE = "aucune"


class EnregistrementArretForm(DsfrForm):
    """The referent records an early stop: its date, the reason category, a note for the committee, and the
    pair's last meeting (one of its held meetings) or why there was none."""

    date = forms.DateField(
        label=_("Date de l'arrêt"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Indiquez la date de l'arrêt."), "invalid": _("Saisissez une date valide.")},
    )
    motif = forms.ChoiceField(
        label=_("Raison de l'arrêt"),
        choices=MotifArret.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez la raison de l'arrêt.")},
    )
    note = forms.CharField(
        label=_("Note pour le comité"),
        required=False,
        max_length=300,
        help_text=_(
            "Facultative, 300 caractères au plus : une indication générale, jamais le contenu des échanges du binôme."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    derniere_rencontre = forms.ChoiceField(
        label=_("Dernière rencontre du binôme"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Indiquez la dernière rencontre du binôme, ou qu'il n'y en a pas eu.")},
    )
    sans_derniere_rencontre = forms.CharField(
        label=_("Pourquoi aucune dernière rencontre"),
        required=False,
        max_length=300,
        help_text=_("À remplir si le binôme n'a pas tenu de dernière rencontre ; 300 caractères au plus."),
    )

    def __init__(self, *args, binome, **kwargs):
        super().__init__(*args, **kwargs)
        self.binome = binome
        # The meetings are the pair's, prefetched by the view: held ones, latest first.
        self.tenues = sorted((r.date for r in binome.rencontres.all() if r.est_tenue), reverse=True)
        champ = self.fields["derniere_rencontre"]
        assert isinstance(champ, forms.ChoiceField)
        champ.choices = [
            *((jour.isoformat(), formats.date_format(jour, "l j F Y")) for jour in self.tenues),
            (AUCUNE, _("Le binôme n'a pas tenu de dernière rencontre")),
        ]
        if not self.is_bound:
            self.initial.setdefault("motif", binome.motif_arret or None)
            self.initial.setdefault("derniere_rencontre", self.tenues[0].isoformat() if self.tenues else AUCUNE)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("L'arrêt"), "date", "motif", "note", css_id="arret"),
            Fieldset(_("La dernière rencontre"), "derniere_rencontre", "sans_derniere_rencontre", css_id="derniere"),
        )
        self.helper.add_input(Submit("enregistrer", _("Enregistrer l'arrêt"), css_id="bouton-arret"))

    def clean_date(self):
        date = self.cleaned_data["date"]
        promotion = self.binome.promotion
        debut = timezone.localdate(self.binome.decide_le)
        if date > timezone.localdate():
            raise forms.ValidationError(_("La date de l'arrêt ne peut pas être dans le futur."))
        if date < debut or date > promotion.fin:
            raise forms.ValidationError(
                _("Choisissez une date entre la formation du binôme (%(debut)s) et la fin du programme (%(fin)s).")
                % {"debut": formats.date_format(debut), "fin": formats.date_format(promotion.fin)}
            )
        return date

    def clean_note(self):
        return " ".join(self.cleaned_data["note"].split())

    def clean_sans_derniere_rencontre(self):
        return " ".join(self.cleaned_data["sans_derniere_rencontre"].split())

    def clean(self):
        donnees = super().clean()
        choix, date = donnees.get("derniere_rencontre"), donnees.get("date")
        if choix == AUCUNE:
            donnees["derniere_rencontre_le"] = None
            if not donnees.get("sans_derniere_rencontre"):
                self.add_error(
                    "sans_derniere_rencontre", _("Indiquez pourquoi le binôme n'a pas tenu de dernière rencontre.")
                )
        elif choix:
            derniere = datetime.date.fromisoformat(choix)
            donnees["derniere_rencontre_le"] = derniere
            if date and derniere > date:
                self.add_error("derniere_rencontre", _("La dernière rencontre ne peut pas suivre la date de l'arrêt."))
        return donnees


class ReponseEvenementForm(DsfrForm):
    """A participant's answer to a collective time's invitation."""

    reponse = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[
            (ReponseInvitation.PRESENT, _("Je serai présent·e")),
            (ReponseInvitation.ABSENT, _("Je serai absent·e")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez « présent·e » ou « absent·e »."),
            "invalid_choice": _("Choisissez « présent·e » ou « absent·e »."),
        },
    )

    def __init__(self, *args, evenement, **kwargs):
        super().__init__(*args, prefix=f"evenement-{evenement.pk}", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Fieldset(_("Serez-vous présent·e ?"), "reponse"))
        self.helper.add_input(Submit("repondre", _("Enregistrer ma réponse")))


PRESENCES = [("", _("Non relevée")), ("True", _("Présent·e")), ("False", _("Absent·e"))]


class PresenceForm(forms.ModelForm):
    """One participant's attendance, as an engineer records it after the time (a line of a formset)."""

    present = forms.TypedChoiceField(
        choices=PRESENCES,
        coerce=lambda valeur: valeur == "True",
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choisissez « présent·e », « absent·e » ou « non relevée ».")},
    )

    class Meta:
        model = Participation
        fields = ["present"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each select is labelled by the person's name (the table's row header repeats it for sighted readers).
        self.fields["present"].label = _("Présence de %(nom)s") % {"nom": self.instance.utilisateur}
        self.fields["present"].widget.attrs["class"] = "fr-select"


PresenceFormSet = forms.modelformset_factory(Participation, form=PresenceForm, extra=0, edit_only=True)
