"""The application forms: they validate and normalise what was typed, the services record it."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.utils import dsfr_input_class_attr

from mentorat.forms import DsfrModelForm
from mentorat.models import Corps, Utilisateur

from . import eligibilite
from .departements import choix_departements
from .models import Candidature, Role, Theme
from .services import NouveauCompte, dossier_de

DATE_MIN = datetime.date(1950, 1, 1)

CHAMPS_COMMUNS = [
    "telephone",
    "corps",
    "fonction",
    "etablissement",
    "type_etablissement",
    "ght",
    "departement",
    "themes",
    "motivation",
    "mode_rencontre",
    "enjeux_declares",
    "consentement_donnees",
    "charte_acceptee",
]
CHAMPS_MENTORE = ["date_premier_poste"]
CHAMPS_MENTOR = [
    "carriere_geree_cng",
    "debut_fonctions_direction",
    "postes_direction",
    "debut_exercice_encadrement",
    "debut_fonctions_ds",
]


def champ_date(label, aide, *, passe=True):
    """A date typed in a native date input, refused outside 1950 – today (or 2100 for a future date)."""
    # A callable limit: "today" is evaluated at each validation, not at import.
    maximum = timezone.localdate if passe else datetime.date(2100, 12, 31)
    return forms.DateField(
        label=label,
        help_text=aide,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(DATE_MIN, _("Indiquez une date postérieure au 1er janvier 1950.")),
            MaxValueValidator(maximum, _("Cette date ne peut pas être dans le futur.")),
        ],
    )


class CandidatureForm(DsfrModelForm):
    """The questionnaire of one role; with `compte=True`, also the fields that create the applicant's account."""

    role: Role = Role.MENTORE
    champs_parcours: list[str] = []

    telephone = forms.CharField(
        label=_("Téléphone professionnel"),
        required=False,
        max_length=20,
        help_text=_("Par exemple 05 56 00 00 00 ou +33 5 56 00 00 00."),
        validators=[RegexValidator(r"^\+?[0-9 .()-]{6,20}$", _("Saisissez un numéro de téléphone valide."))],
    )
    departement = forms.ChoiceField(label=_("Département de l'établissement"), choices=())
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Thèmes")
    )
    consentement_donnees = forms.BooleanField(required=True)
    charte_acceptee = forms.BooleanField(
        required=True,
        label=_("J'ai lu la charte de déontologie et je m'engage à la respecter."),
        error_messages={"required": _("Vous devez accepter la charte de déontologie pour candidater.")},
    )

    class Meta:
        model = Candidature
        fields = CHAMPS_COMMUNS
        widgets = {
            "type_etablissement": forms.RadioSelect,
            "mode_rencontre": forms.RadioSelect,
            "motivation": forms.Textarea(attrs={"rows": 6, "maxlength": 3000}),
            "enjeux_declares": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }
        labels = {
            "fonction": _("Fonction actuelle"),
            "etablissement": _("Établissement d'exercice"),
            "type_etablissement": _("Type d'établissement"),
            "ght": _("Groupement hospitalier de territoire (GHT)"),
            "motivation": _("Votre motivation"),
            "mode_rencontre": _("Mode de rencontre souhaité"),
            "enjeux_declares": _("Établissements ou personnes avec lesquels vous avez un enjeu professionnel"),
        }
        help_texts = {
            "ght": _("Le GHT auquel votre établissement appartient, s'il y en a un."),
            "motivation": _("3 000 caractères au plus."),
            "enjeux_declares": _(
                "1 000 caractères au plus. Le comité s'en sert pour éviter tout lien hiérarchique, "
                "d'évaluation ou de carrière au sein du binôme."
            ),
        }

    def __init__(self, *args, promotion, compte: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.promotion = promotion
        self.compte_existant = False
        corps = promotion.corps_mentors if self.role == Role.MENTOR else promotion.corps_mentores
        self.fields["corps"] = forms.ChoiceField(
            label=_("Votre corps"), choices=[(c, Corps(c).label) for c in corps if c in Corps.values]
        )
        self.fields["departement"].choices = [("", _("Sélectionnez un département")), *choix_departements()]
        self.fields["themes"].queryset = Theme.objects.filter(actif=True).order_by("ordre", "nom")
        self.fields["themes"].label = self.libelle_themes
        self.fields["consentement_donnees"].label = _(
            "J'accepte que le CNG traite ces données pour le programme de mentorat ; elles sont conservées "
            "jusqu'à deux ans après la journée de bilan de la promotion (%(date)s)."
        ) % {"date": promotion.journee_bilan.strftime("%d/%m/%Y")}
        self.fields["consentement_donnees"].error_messages["required"] = _(
            "Votre consentement est nécessaire pour étudier votre candidature."
        )
        self.fields["mode_rencontre"].choices = self.fields["mode_rencontre"].choices[1:]
        self.fields["type_etablissement"].choices = self.fields["type_etablissement"].choices[1:]
        if compte:
            self._ajouter_champs_compte()
        # DsfrMixin built the bound fields before the fields above were set: build them again.
        self._bound_fields_cache.clear()
        for bound_field in self.visible_fields():
            dsfr_input_class_attr(bound_field)
        self.helper = self._helper(compte)

    libelle_themes = _("Thèmes")

    def _ajouter_champs_compte(self):
        self.fields["prenom"] = forms.CharField(label=_("Prénom"), max_length=100)
        self.fields["nom"] = forms.CharField(label=_("Nom"), max_length=100)
        self.fields["email"] = forms.EmailField(
            label=_("Adresse électronique professionnelle"),
            max_length=254,
            help_text=_("Elle sera votre identifiant ; un lien de confirmation vous y sera envoyé."),
        )
        self.fields["password1"] = forms.CharField(
            label=_("Mot de passe"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        )
        self.fields["password2"] = forms.CharField(
            label=_("Confirmation du mot de passe"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        )
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def _helper(self, compte: bool) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        sections = []
        if compte:
            sections.append(
                Fieldset(_("Votre compte"), "prenom", "nom", "email", "password1", "password2", css_id="fs-compte")
            )
        sections += [
            Fieldset(
                _("Votre situation professionnelle"),
                "corps",
                "fonction",
                "etablissement",
                "type_etablissement",
                "ght",
                "departement",
                "telephone",
                css_id="fs-situation",
            ),
            Fieldset(_("Votre parcours"), *self.champs_parcours, css_id="fs-parcours"),
            Fieldset(
                _("Vos attentes"), "themes", "motivation", "mode_rencontre", "enjeux_declares", css_id="fs-attentes"
            ),
            Fieldset(
                _("Charte de déontologie et données personnelles"),
                HTML('{% include "candidatures/_charte.html" %}'),
                "charte_acceptee",
                "consentement_donnees",
                css_id="fs-engagements",
            ),
        ]
        helper.layout = Layout(*sections)
        helper.add_input(Submit("envoyer", _("Envoyer ma candidature")))
        return helper

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if Utilisateur.objects.filter(email__iexact=email).exists():
            self.compte_existant = True
            raise forms.ValidationError(
                _("Un compte existe déjà avec cette adresse. Connectez-vous d'abord pour candidater avec ce compte."),
                code="compte_existant",
            )
        return email

    def clean(self):
        donnees = super().clean()
        self._verifier_mot_de_passe(donnees)
        if not self.errors:
            self._verifier_eligibilite(donnees)
        return donnees

    def _verifier_mot_de_passe(self, donnees):
        if "password1" not in self.fields:
            return
        mot_de_passe, confirmation = donnees.get("password1"), donnees.get("password2")
        if mot_de_passe and confirmation and mot_de_passe != confirmation:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif mot_de_passe:
            futur = Utilisateur(
                email=donnees.get("email", ""), prenom=donnees.get("prenom", ""), nom=donnees.get("nom", "")
            )
            try:
                password_validation.validate_password(mot_de_passe, futur)
            except forms.ValidationError as erreur:
                self.add_error("password1", erreur)

    def _verifier_eligibilite(self, donnees):
        verdict = eligibilite.verifier(
            dossier_de(self.role, donnees), eligibilite.Regles.de_la_promotion(self.promotion)
        )
        for motif in verdict.motifs:
            self.add_error(motif.champ if motif.champ in self.fields else None, motif.message)

    def donnees_candidature(self) -> dict:
        """The cleaned values of the application's own fields (themes apart)."""
        champs = [c for c in CHAMPS_COMMUNS + self.champs_parcours if c != "themes"]
        return {nom: self.cleaned_data.get(nom) for nom in champs}

    def nouveau_compte(self) -> NouveauCompte:
        d = self.cleaned_data
        return NouveauCompte(
            email=d["email"], prenom=d["prenom"].strip(), nom=d["nom"].strip(), mot_de_passe=d["password1"]
        )


class MentoreForm(CandidatureForm):
    role = Role.MENTORE
    champs_parcours = CHAMPS_MENTORE
    libelle_themes = _("Les thèmes sur lesquels vous attendez un accompagnement")

    date_premier_poste = champ_date(
        _("Date de prise de votre premier poste de direction"),
        _("Format jj/mm/aaaa."),
        passe=False,
    )

    class Meta(CandidatureForm.Meta):
        fields = CHAMPS_COMMUNS + CHAMPS_MENTORE


class MentorForm(CandidatureForm):
    role = Role.MENTOR
    champs_parcours = CHAMPS_MENTOR
    libelle_themes = _("Les thèmes sur lesquels vous pouvez apporter votre expérience")

    carriere_geree_cng = forms.BooleanField(
        label=_("Ma carrière est gérée par le Centre national de gestion (CNG)."),
        error_messages={"required": _("Les mentors doivent avoir une carrière gérée par le CNG.")},
    )
    debut_fonctions_direction = champ_date(
        _("Depuis quand exercez-vous des fonctions de direction ?"),
        _("À renseigner par les DH et D3S : la date de votre première prise de fonctions de direction."),
    )
    postes_direction = forms.IntegerField(
        label=_("Combien de postes de direction distincts avez-vous occupés ?"),
        help_text=_("À renseigner par les DH et D3S, votre poste actuel compris."),
        required=False,
        min_value=0,
        max_value=50,
    )
    debut_exercice_encadrement = champ_date(
        _("Depuis quand exercez-vous en environnement sanitaire avec des fonctions d'encadrement ?"),
        _("À renseigner par les directeurs et directrices des soins."),
    )
    debut_fonctions_ds = champ_date(
        _("Depuis quand êtes-vous directeur ou directrice des soins ?"),
        _("À renseigner par les directeurs et directrices des soins."),
    )

    class Meta(CandidatureForm.Meta):
        fields = CHAMPS_COMMUNS + CHAMPS_MENTOR


def formulaire_du_role(role: str) -> type[CandidatureForm]:
    return MentorForm if role == Role.MENTOR else MentoreForm
