"""The application forms: they validate and normalise what was typed, the services record it."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import password_validation
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mentorat.forms import DsfrForm, DsfrModelForm
from mentorat.models import Corps, Utilisateur

from . import eligibilite, objectifs
from .departements import choix_departements
from .models import Candidature, ModeRencontre, Role, Theme, TypeEtablissement
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
CHAMPS_DH_D3S = ["debut_fonctions_direction", "postes_direction"]
CHAMPS_DS = ["debut_exercice_encadrement", "debut_fonctions_ds"]
CHAMPS_MENTOR = ["carriere_geree_cng", *CHAMPS_DH_D3S, *CHAMPS_DS]
# The fields the eligibility verdict reads: it is computed as soon as these are valid, whatever the others.
CHAMPS_ELIGIBILITE = ["corps", "date_premier_poste", *CHAMPS_MENTOR]


class SansAttributRequired:
    """A widget without the HTML `required` attribute: the other corps leave its field empty."""

    def use_required_attribute(self, initial) -> bool:
        return False


class DateSelonCorpsInput(SansAttributRequired, forms.DateInput):
    pass


class NombreSelonCorpsInput(SansAttributRequired, forms.NumberInput):
    pass


class SelonCorps(forms.Field):
    """A field that only some corps fill in: the form asks for it (`MentorForm._normaliser_parcours`), not the field.

    `required` stays True so that the DSFR label does not call it "(Optionnel)", which would mislead the corps
    that must answer; an empty value passes the field's own validation.
    """

    def validate(self, value):
        if value not in self.empty_values:
            super().validate(value)


class DateSelonCorps(SelonCorps, forms.DateField):
    pass


class EntierSelonCorps(SelonCorps, forms.IntegerField):
    widget = NombreSelonCorpsInput


def champ_date(label, aide, *, passe=True, classe=forms.DateField, widget=forms.DateInput, **options):
    """A date typed in a native date input, refused outside 1950 – today (or 2100 for a future date)."""
    # A callable limit: "today" is evaluated at each validation, not at import.
    maximum = timezone.localdate if passe else datetime.date(2100, 12, 31)
    return classe(
        label=label,
        help_text=aide,
        **options,
        widget=widget(attrs={"type": "date"}, format="%Y-%m-%d"),
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
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "work tel"}),
    )
    type_etablissement = forms.ChoiceField(
        label=_("Type d'établissement"), choices=TypeEtablissement.choices, widget=forms.RadioSelect
    )
    departement = forms.ChoiceField(
        label=_("Département de l'établissement"),
        choices=lambda: [("", _("Sélectionnez un département")), *choix_departements()],
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(actif=True).order_by("ordre", "nom"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Thèmes"),
    )
    mode_rencontre = forms.ChoiceField(
        label=_("Mode de rencontre souhaité"), choices=ModeRencontre.choices, widget=forms.RadioSelect
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
            # Autocomplete purposes (WCAG 1.3.5): browsers fill in, and assistive tools recognise, these fields.
            "fonction": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "etablissement": forms.TextInput(attrs={"autocomplete": "organization"}),
            "motivation": forms.Textarea(attrs={"rows": 6, "maxlength": 3000}),
            "enjeux_declares": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }
        labels = {
            "fonction": _("Fonction actuelle"),
            "etablissement": _("Établissement d'exercice"),
            "ght": _("Groupement hospitalier de territoire (GHT)"),
            "motivation": _("Votre motivation"),
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
        # A blank first choice: a preselected corps would be submitted without the applicant choosing it.
        self.fields["corps"] = forms.ChoiceField(
            label=_("Votre corps"),
            choices=[("", _("Sélectionnez votre corps")), *((c, Corps(c).label) for c in corps if c in Corps.values)],
        )
        self.fields["themes"].label = self.libelle_themes
        self.fields["consentement_donnees"].label = _(
            "J'accepte que le CNG traite ces données pour le programme de mentorat ; elles sont conservées "
            "jusqu'à deux ans après la journée de bilan de la promotion (%(date)s)."
        ) % {"date": promotion.journee_bilan.strftime("%d/%m/%Y")}
        self.fields["consentement_donnees"].error_messages["required"] = _(
            "Votre consentement est nécessaire pour étudier votre candidature."
        )
        if compte:
            self._ajouter_champs_compte()
        self._adapter_a_la_promotion()
        self.helper = self._helper(compte)
        # The fields in the order of the page, so that the error summary lists them as the applicant reads.
        self.order_fields([pointeur.name for pointeur in self.helper.layout.get_field_names()])

    libelle_themes = _("Thèmes")

    def _ajouter_champs_compte(self):
        self.fields["prenom"] = forms.CharField(
            label=_("Prénom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
        )
        self.fields["nom"] = forms.CharField(
            label=_("Nom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
        )
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
        helper.disable_csrf = True  # the template's <form> carries the token
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
            Fieldset(_("Votre parcours"), *self._disposition_parcours(), css_id="fs-parcours"),
            Fieldset(
                _("Vos attentes"),
                *self._disposition_attentes(),
                "motivation",
                "mode_rencontre",
                "enjeux_declares",
                css_id="fs-attentes",
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
        bouton = _("Enregistrer les modifications") if self.instance.pk else _("Envoyer ma candidature")
        helper.add_input(Submit("envoyer", bouton))
        return helper

    def _adapter_a_la_promotion(self):
        """Adapt the wording of fields to the promotion; nothing to adapt by default."""

    def _disposition_parcours(self) -> list:
        return list(self.champs_parcours)

    def _disposition_attentes(self) -> list:
        return ["themes"]

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
        self._normaliser_parcours(donnees)
        # The rules are checked as soon as the facts they read are valid, so that an applicant learns at once
        # that they are not eligible rather than after correcting unrelated fields.
        if not any(champ in self.errors for champ in CHAMPS_ELIGIBILITE):
            self._verifier_eligibilite(donnees)
        return donnees

    def _normaliser_parcours(self, donnees):
        """Nothing to do for a mentee: their one career fact is a required field."""

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

    def reprendre(self, precedente: Candidature) -> None:
        """Pre-fill an unbound form with the answers of an earlier application (a returning mentor).

        Consent and charter are asked again (the new promotion keeps the data until another date), and only the
        themes still offered are ticked; the rules are checked again when the form is sent."""
        champs = [
            c for c in CHAMPS_COMMUNS + self.champs_parcours if c not in ("consentement_donnees", "charte_acceptee")
        ]
        self.initial.update({nom: getattr(precedente, nom) for nom in champs if nom != "themes"})
        self.initial["themes"] = [t.pk for t in precedente.themes.all() if t.actif]

    def nouveau_compte(self) -> NouveauCompte:
        d = self.cleaned_data
        return NouveauCompte(
            email=d["email"], prenom=d["prenom"].strip(), nom=d["nom"].strip(), mot_de_passe=d["password1"]
        )


class MentoreForm(CandidatureForm):
    role = Role.MENTORE
    champs_parcours = CHAMPS_MENTORE
    libelle_themes = _("Les thèmes sur lesquels vous attendez un accompagnement")

    def __init__(self, *args, **kwargs):
        # The objectives' fields exist before the layout that orders the fields is built.
        self.base_fields = {**self.base_fields, **objectifs.champs()}
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial.update(objectifs.initiales(self.instance.objectifs))

    def _disposition_attentes(self) -> list:
        legende = format_html('{}<span class="fr-hint-text">{}</span>', _("Vos objectifs"), objectifs.aide())
        return [
            "themes",
            Fieldset(legende, *objectifs.CHAMPS, css_id="fs-objectifs", template="candidatures/_sous_fieldset.html"),
        ]

    def donnees_candidature(self) -> dict:
        return {**super().donnees_candidature(), "objectifs": objectifs.saisis(self.cleaned_data)}

    date_premier_poste = champ_date(
        _("Date de prise de votre premier poste de direction"),
        _("Format jj/mm/aaaa."),
        passe=False,
        error_messages={"required": _("Indiquez la date de prise de votre premier poste de direction.")},
    )

    class Meta(CandidatureForm.Meta):
        fields = CHAMPS_COMMUNS + CHAMPS_MENTORE

    def _adapter_a_la_promotion(self):
        # Said before the form is filled in: someone taking a first post on another date is not eligible.
        self.fields["date_premier_poste"].help_text = _(
            "Cette promotion accueille les directeurs et directrices qui prennent leur premier poste "
            "le %(date)s. Format jj/mm/aaaa."
        ) % {"date": eligibilite.date_en_toutes_lettres(self.promotion.date_premier_poste)}


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
        _("La date de votre première prise de fonctions de direction. Format jj/mm/aaaa."),
        classe=DateSelonCorps,
        widget=DateSelonCorpsInput,
    )
    postes_direction = EntierSelonCorps(
        label=_("Combien de postes de direction distincts avez-vous occupés ?"),
        help_text=_("Votre poste actuel compris."),
        min_value=0,
        max_value=50,
    )
    debut_exercice_encadrement = champ_date(
        _("Depuis quand exercez-vous en environnement sanitaire avec des fonctions d'encadrement ?"),
        _("Format jj/mm/aaaa."),
        classe=DateSelonCorps,
        widget=DateSelonCorpsInput,
    )
    debut_fonctions_ds = champ_date(
        _("Depuis quand êtes-vous directeur ou directrice des soins ?"),
        _("Format jj/mm/aaaa."),
        classe=DateSelonCorps,
        widget=DateSelonCorpsInput,
    )

    # What to ask when a corps leaves one of its career facts empty.
    manquants = {
        "debut_fonctions_direction": _("Indiquez la date de votre première prise de fonctions de direction."),
        "postes_direction": _("Indiquez le nombre de postes de direction distincts que vous avez occupés."),
        "debut_exercice_encadrement": _(
            "Indiquez depuis quand vous exercez en environnement sanitaire avec des fonctions d'encadrement."
        ),
        "debut_fonctions_ds": _("Indiquez depuis quand vous êtes directeur ou directrice des soins."),
    }

    class Meta(CandidatureForm.Meta):
        fields = CHAMPS_COMMUNS + CHAMPS_MENTOR

    def _disposition_parcours(self) -> list:
        gabarit = "candidatures/_sous_fieldset.html"
        return [
            "carriere_geree_cng",
            Fieldset(_("Si vous êtes DH ou D3S"), *CHAMPS_DH_D3S, css_id="fs-parcours-direction", template=gabarit),
            Fieldset(
                _("Si vous êtes directeur ou directrice des soins (DS)"),
                *CHAMPS_DS,
                css_id="fs-parcours-soins",
                template=gabarit,
            ),
        ]

    def _normaliser_parcours(self, donnees):
        """Ask for the career facts of the chosen corps and forget those of the other (data minimisation)."""
        corps = donnees.get("corps")
        if not corps:
            return
        utiles, autres = (CHAMPS_DS, CHAMPS_DH_D3S) if corps == Corps.DS else (CHAMPS_DH_D3S, CHAMPS_DS)
        for champ in autres:
            self.errors.pop(champ, None)
            donnees[champ] = None
        for champ in utiles:
            if champ not in self.errors and donnees.get(champ) is None:
                self.add_error(champ, self.manquants[champ])


def formulaire_du_role(role: str) -> type[CandidatureForm]:
    return MentorForm if role == Role.MENTOR else MentoreForm


class DeplacementForm(DsfrForm):
    """The committee moves a person on the waiting list to another rank (the service checks the list's length)."""

    rang = forms.IntegerField(
        label=_("Rang"),
        min_value=1,
        error_messages={
            "required": _("Indiquez le nouveau rang, 1 pour la tête de la liste."),
            "invalid": _("Le rang est un nombre entier, 1 pour la tête de la liste."),
            "min_value": _("Le rang commence à 1, la tête de la liste."),
        },
        widget=forms.NumberInput(attrs={"min": 1}),
    )

    def __init__(self, *args, nom: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if nom:
            self.fields["rang"].label = _("Rang de %(nom)s") % {"nom": nom}
