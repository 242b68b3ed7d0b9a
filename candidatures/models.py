import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorat.models import Corps, Promotion

from .departements import departements


class Role(models.TextChoices):
    MENTORE = "mentore", _("Mentoré·e")
    MENTOR = "mentor", _("Mentor")


class TypeEtablissement(models.TextChoices):
    SANITAIRE = "sanitaire", _("Sanitaire")
    SOCIAL = "social", _("Social")
    MEDICO_SOCIAL = "medico_social", _("Médico-social")


class ModeRencontre(models.TextChoices):
    PRESENTIEL = "presentiel", _("En présentiel")
    VISIO = "visio", _("Par visioconférence")
    LES_DEUX = "les_deux", _("Les deux")


class Statut(models.TextChoices):
    SOUMISE = "soumise", _("Soumise")
    RECEVABLE = "recevable", _("Recevable")
    NON_RECEVABLE = "non_recevable", _("Non recevable")
    RETENUE = "retenue", _("Retenue")
    LISTE_ATTENTE = "liste_attente", _("Sur liste d'attente")
    NON_RETENUE = "non_retenue", _("Non retenue")
    RETIREE = "retiree", _("Retirée")

    @property
    def suivants(self) -> frozenset["Statut"]:
        """The statuses this one may become (`services.changer_statut` refuses any other); "retiree" is final."""
        return {
            Statut.SOUMISE: frozenset({Statut.RECEVABLE, Statut.NON_RECEVABLE, Statut.RETIREE}),
            Statut.RECEVABLE: frozenset(
                {Statut.RETENUE, Statut.LISTE_ATTENTE, Statut.NON_RETENUE, Statut.NON_RECEVABLE, Statut.RETIREE}
            ),
            Statut.NON_RECEVABLE: frozenset({Statut.RECEVABLE, Statut.RETIREE}),
            Statut.RETENUE: frozenset({Statut.LISTE_ATTENTE, Statut.NON_RETENUE, Statut.RETIREE}),
            Statut.LISTE_ATTENTE: frozenset({Statut.RETENUE, Statut.NON_RETENUE, Statut.RETIREE}),
            Statut.NON_RETENUE: frozenset({Statut.RETENUE, Statut.LISTE_ATTENTE, Statut.RETIREE}),
        }.get(self, frozenset())

    @classmethod
    def jugees_recevables(cls) -> frozenset["Statut"]:
        """Examined and found to meet the rules, whatever the decision since (the dashboard's "eligible")."""
        return frozenset({cls.RECEVABLE, cls.RETENUE, cls.LISTE_ATTENTE, cls.NON_RETENUE})


class Orientation(models.TextChoices):
    AUCUNE = "aucune", _("Aucune")
    COACHING = "coaching", _("Coaching individuel")
    ATELIER = "atelier", _("Atelier collectif")


class OrientationSuivie(models.TextChoices):
    """Whether a person not retained took up the coaching or workshop offered instead (engineers record it)."""

    INCONNU = "inconnu", _("Inconnu")
    OUI = "oui", _("Oui")
    NON = "non", _("Non")


class Theme(models.Model):
    """A general theme of the programme: what a mentee expects, what a mentor offers, what a meeting covers."""

    nom = models.CharField(_("intitulé"), max_length=120, unique=True)
    actif = models.BooleanField(_("proposé dans les formulaires"), default=True)
    ordre = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


class CandidatureQuerySet(models.QuerySet):
    def de_la_promotion(self, promotion):
        return self.filter(promotion=promotion)

    def retenues(self):
        return self.filter(statut=Statut.RETENUE)

    def occupant_une_place(self):
        """Retained mentees who hold one of the promotion's places (a pair stopped before the launch day frees it)."""
        return self.filter(role=Role.MENTORE, statut=Statut.RETENUE, place_liberee_le__isnull=True)

    def en_liste_attente(self):
        """The waiting list, in its order (rank 1 first)."""
        return self.filter(statut=Statut.LISTE_ATTENTE).order_by("rang_attente", "pk")

    def du_role(self, role: str):
        return self.filter(role=role)

    def sans_binome(self):
        """In no pair: the pairs' app names its reverse relations `binomes_comme_mentor` and `…_mentore`."""
        return self.filter(binomes_comme_mentor=None, binomes_comme_mentore=None)

    def a_reprendre(self, utilisateur, promotion):
        """The person's latest application as a retained mentor of an earlier promotion than `promotion`, or None:
        a returning mentor applies again from it (`MentorForm.reprendre`)."""
        return (
            self.filter(utilisateur=utilisateur, role=Role.MENTOR, statut=Statut.RETENUE)
            .filter(promotion__journee_lancement__lt=promotion.journee_lancement)
            .select_related("promotion")
            .order_by("-promotion__journee_lancement", "-pk")
            .first()
        )

    def par_nom(self):
        """With the applicant, in the order of their names (as the committee's screens list them)."""
        return self.select_related("utilisateur").order_by("utilisateur__nom", "utilisateur__prenom", "pk")


class Candidature(models.Model):
    """One person's application to one promotion, as mentee or mentor.

    Holds only what the committee needs to check eligibility and form pairs.
    """

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="candidatures")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidatures", verbose_name=_("candidat")
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)

    # Professional situation
    telephone = models.CharField(_("téléphone professionnel"), max_length=20, blank=True)
    corps = models.CharField(_("corps"), max_length=5, choices=Corps.choices)
    fonction = models.CharField(_("fonction actuelle"), max_length=150)
    etablissement = models.CharField(_("établissement"), max_length=200)
    type_etablissement = models.CharField(_("type d'établissement"), max_length=15, choices=TypeEtablissement.choices)
    ght = models.CharField(_("GHT"), max_length=150, blank=True, help_text=_("Groupement hospitalier de territoire."))
    departement = models.CharField(_("département"), max_length=3)
    region = models.CharField(_("région"), max_length=60, editable=False)

    # Mentee
    date_premier_poste = models.DateField(_("date de prise du premier poste"), null=True, blank=True)

    # Mentor: career facts the eligibility rules need
    carriere_geree_cng = models.BooleanField(_("carrière gérée par le CNG"), default=False)
    debut_fonctions_direction = models.DateField(_("début des fonctions de direction"), null=True, blank=True)
    postes_direction = models.PositiveSmallIntegerField(
        _("nombre de postes de direction distincts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
    )
    debut_exercice_encadrement = models.DateField(
        _("début de l'exercice en environnement sanitaire avec encadrement"), null=True, blank=True
    )
    debut_fonctions_ds = models.DateField(_("début des fonctions de directeur des soins"), null=True, blank=True)

    # Questionnaire
    themes = models.ManyToManyField(Theme, verbose_name=_("thèmes"), related_name="candidatures")
    # A mentee's short objectives (`objectifs.NOMBRE` at most, `objectifs.LONGUEUR` characters each): theirs, then
    # their pair's. Not editable: no admin screen or export of the committee shows them (`objectifs`, docstring).
    objectifs = models.JSONField(_("objectifs"), default=list, blank=True, editable=False)
    motivation = models.TextField(_("motivation"), max_length=3000)
    mode_rencontre = models.CharField(_("mode de rencontre souhaité"), max_length=10, choices=ModeRencontre.choices)
    enjeux_declares = models.TextField(
        _("liens professionnels à éviter"),
        max_length=1000,
        blank=True,
        help_text=_("Établissements ou personnes avec lesquels existe un enjeu professionnel."),
    )
    consentement_donnees = models.BooleanField(_("consentement au traitement des données"), default=False)
    charte_acceptee = models.BooleanField(_("charte acceptée"), default=False)

    # Review
    statut = models.CharField(_("statut"), max_length=15, choices=Statut.choices, default=Statut.SOUMISE)
    orientation = models.CharField(
        _("orientation proposée"), max_length=10, choices=Orientation.choices, default=Orientation.AUCUNE
    )
    orientation_suivie = models.CharField(
        _("orientation suivie"), max_length=10, choices=OrientationSuivie.choices, default=OrientationSuivie.INCONNU
    )
    # The waiting list (`places`): its rank (1 first), kept without gaps by `services.changer_statut`; the moment
    # a freed place was offered to the committee for this person; and, for a retained mentee whose pair stopped
    # before the launch day, the moment their place went back to the promotion.
    rang_attente = models.PositiveIntegerField(_("rang sur la liste d'attente"), null=True, blank=True, editable=False)
    place_proposee_le = models.DateTimeField(
        _("place libérée proposée au comité le"), null=True, blank=True, editable=False
    )
    place_liberee_le = models.DateTimeField(_("place rendue le"), null=True, blank=True, editable=False)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision prise par"),
    )
    decide_le = models.DateTimeField(_("décision prise le"), null=True, blank=True)
    # The applicant changed their answers after a committee decision (`services.modifier_candidature`): the
    # decision was taken on other answers. Cleared by the next decision or by « Marquer comme relue ».
    a_relire = models.BooleanField(_("à relire (modifiée après la décision)"), default=False, editable=False)
    cree_le = models.DateTimeField(_("déposée le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = CandidatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-cree_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "utilisateur"],
                name="une_candidature_par_personne_et_promotion",
                violation_error_message=_("Cette personne a déjà déposé une candidature pour cette promotion."),
            ),
        ]
        indexes = [models.Index(fields=["promotion", "role", "statut"])]

    def __str__(self):
        return f"{self.utilisateur} — {self.get_role_display()} ({self.promotion.nom})"

    def peut_se_desister(self, aujourd_hui: datetime.date | None = None) -> bool:
        """Retained or on the waiting list, before the launch day: the applicant may stand down after the deadline
        (their place goes to the next person on the waiting list)."""
        aujourd_hui = aujourd_hui or timezone.localdate()
        return self.statut in (Statut.RETENUE, Statut.LISTE_ATTENTE) and aujourd_hui < self.promotion.journee_lancement

    @property
    def libelle_departement(self) -> str:
        """The département as "33 – Gironde": the code alone means little to most readers."""
        departement = departements().get(self.departement)
        return departement.libelle if departement else self.departement
