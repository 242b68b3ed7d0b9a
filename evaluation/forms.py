from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.forms import DsfrForm

from .models import NOTE_MAX, NOTE_MIN, Question, TypeQuestion

CHOIX_ECHELLE = [(n, str(n)) for n in range(NOTE_MIN, NOTE_MAX + 1)]
CHOIX_OUI_NON = [("oui", _("Oui")), ("non", _("Non"))]


class QuestionnaireForm(DsfrForm):
    """One field per active question; `valeurs()` maps each question to its normalised answer."""

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.code] = self._champ(question)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Votre avis sur le programme"), *[q.code for q in questions if q.type != TypeQuestion.TEXTE]),
            Fieldset(_("En quelques mots"), *[q.code for q in questions if q.type == TypeQuestion.TEXTE]),
        )
        self.helper.add_input(Submit("envoyer", _("Envoyer mes réponses")))

    @staticmethod
    def _champ(question: Question) -> forms.Field:
        commun: dict[str, Any] = {
            "label": question.intitule,
            "help_text": question.aide,
            "required": question.obligatoire,
        }
        if question.type == TypeQuestion.ECHELLE:
            return forms.TypedChoiceField(
                choices=CHOIX_ECHELLE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choisissez une note de 1 à 5."),
                    "invalid_choice": _("La note doit être un nombre entier de 1 à 5."),
                },
                **commun,
            )
        if question.type == TypeQuestion.OUI_NON:
            return forms.TypedChoiceField(
                choices=CHOIX_OUI_NON,
                coerce=lambda v: v == "oui",
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Répondez par oui ou par non."),
                    "invalid_choice": _("Répondez par oui ou par non."),
                },
                **commun,
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **commun)

    def valeurs(self) -> dict[Question, object]:
        return {q: self.cleaned_data.get(q.code) for q in self.questions}


class RedactionForm(DsfrForm):
    commentaire = forms.CharField(
        label=_("Commentaire des ingénieurs"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        required=False,
    )
    extraits = forms.CharField(
        label=_("Extraits retenus"),
        help_text=_(
            "Un extrait par ligne, reformulé si besoin : ni nom, ni détail permettant de reconnaître quelqu'un."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token (and the form is cached)
        self.helper.layout = Layout(Fieldset(_("Rédaction de la synthèse"), "commentaire", "extraits"))
        self.helper.add_input(Submit("enregistrer", _("Enregistrer")))

    def clean_commentaire(self) -> str:
        return self.cleaned_data["commentaire"].strip()

    def clean_extraits(self) -> list[str]:
        return [ligne.strip() for ligne in self.cleaned_data["extraits"].splitlines() if ligne.strip()]
