"""Evaluation campaigns, their questions, invitations and anonymous responses.

Anonymity is a property of this schema: `Reponse` and `Valeur` have no path to a
person or a pair, hold no date or time and have random ids; whether someone answered
is only a yes/no on their `Invitation`. A submitted answer waits in a pool
(`ReponseEnAttente`) written in another transaction than the invitation's mark, and
moves into `Reponse` only in shuffled batches of at least the display threshold
(`services.verser_reserve`), so that no system column (xmin, ctid, row order) links a
response to the invitation marked answered. Once a campaign closes, its responses are
rewritten in random order (`services.brasser_reponses`) so that not even the storage
order tells who answered when.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidatures.models import Role
from mentorat.models import Corps, EnvoiUnique, Promotion, index_des_envois_dus

NOTE_MIN, NOTE_MAX = 1, 5


class TypeCampagne(models.TextChoices):
    MI_PARCOURS = "mi_parcours", _("Questionnaire de mi-parcours")
    FIN = "fin", _("Questionnaire de fin de programme")
    FIN_DE_BINOME = "fin_de_binome", _("Questionnaire de fin de binôme (arrêt anticipé)")


class EtatSynthese(models.TextChoices):
    BROUILLON = "brouillon", _("En préparation")
    PUBLIEE = "publiee", _("Publiée")


class CampagneQuerySet(models.QuerySet):
    def ouvertes(self, maintenant=None):
        maintenant = maintenant or timezone.now()
        return self.filter(ouverture__lte=maintenant, fermeture__gt=maintenant)

    def publiees(self):
        return self.filter(etat=EtatSynthese.PUBLIEE)


class Campagne(models.Model):
    """One questionnaire of a promotion, open between two dates, then summarised by the engineers."""

    promotion = models.ForeignKey(
        Promotion, on_delete=models.PROTECT, related_name="campagnes", verbose_name=_("promotion")
    )
    type = models.CharField(_("type"), max_length=15, choices=TypeCampagne.choices)
    ouverture = models.DateTimeField(_("ouverture"))
    fermeture = models.DateTimeField(_("clôture"))
    commentaire = models.TextField(_("commentaire des ingénieurs"), max_length=10000, blank=True)
    extraits = models.JSONField(_("extraits retenus pour la synthèse"), default=list, blank=True)
    etat = models.CharField(
        _("état de la synthèse"), max_length=10, choices=EtatSynthese.choices, default=EtatSynthese.BROUILLON
    )
    publiee_le = models.DateTimeField(_("publiée le"), null=True, blank=True)
    reponses_brassees = models.BooleanField(_("réponses réécrites dans le désordre"), default=False, editable=False)

    objects = CampagneQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagne d'évaluation")
        verbose_name_plural = _("campagnes d'évaluation")
        ordering = ["-ouverture"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "type"], name="une_campagne_par_type_et_promotion"),
            models.CheckConstraint(condition=Q(fermeture__gt=models.F("ouverture")), name="campagne_dates_ordonnees"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.promotion}"

    def est_ouverte(self, maintenant=None) -> bool:
        maintenant = maintenant or timezone.now()
        return self.ouverture <= maintenant < self.fermeture

    def est_close(self, maintenant=None) -> bool:
        return (maintenant or timezone.now()) >= self.fermeture

    @property
    def est_publiee(self) -> bool:
        return self.etat == EtatSynthese.PUBLIEE


class TypeQuestion(models.TextChoices):
    ECHELLE = "echelle", _("Échelle de 1 à 5")
    OUI_NON = "oui_non", _("Oui ou non")
    TEXTE = "texte", _("Texte libre")


class Question(models.Model):
    """A question asked in every campaign; the engineers edit them in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    intitule = models.CharField(_("intitulé"), max_length=300)
    aide = models.CharField(_("aide"), max_length=300, blank=True)
    type = models.CharField(_("type de réponse"), max_length=10, choices=TypeQuestion.choices)
    obligatoire = models.BooleanField(_("réponse obligatoire"), default=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["ordre", "pk"]

    def __str__(self):
        return self.intitule


class Invitation(models.Model):
    """A participant invited to a campaign. `a_repondu` is a yes/no with no time, by design."""

    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="invitations")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_evaluation"
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    corps = models.CharField(_("corps"), max_length=5, choices=Corps.choices)
    a_repondu = models.BooleanField(_("a répondu"), default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["campagne", "utilisateur"], name="une_invitation_par_campagne"),
        ]

    def __str__(self):
        return f"{self.utilisateur} — {self.campagne}"


class TypeEnvoi(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    RELANCE_1 = "relance_1", _("Première relance")
    RELANCE_2 = "relance_2", _("Seconde relance")


class Envoi(EnvoiUnique):
    """One e-mail of one kind for one invitation: sent exactly once (atomic claim)."""

    tache_envoi = "evaluation.tasks.envoyer_envoi"

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="envois")
    type = models.CharField(_("type"), max_length=12, choices=TypeEnvoi.choices)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [models.UniqueConstraint(fields=["invitation", "type"], name="un_envoi_par_type")]
        indexes = [index_des_envois_dus("envoi_du")]

    def __str__(self):
        return f"{self.get_type_display()} — {self.invitation_id}"

    @classmethod
    def envoyables(cls):
        """Reminders of those who answered meanwhile are dropped."""
        return cls.objects.exclude(~Q(type=TypeEnvoi.INVITATION) & Q(invitation__a_repondu=True))


class Reponse(models.Model):
    """An anonymous response: a random identifier, its campaign and coarse attributes only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="reponses")
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    corps = models.CharField(_("corps"), max_length=5, choices=Corps.choices)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")

    def __str__(self):
        return str(self.id)


class ReponseEnAttente(models.Model):
    """A submitted answer waiting for its batch (`services.verser_reserve`): same coarse attributes as a response,
    its values as JSON. Rows live here only until the pool of the campaign reaches the display threshold, or the
    campaign closes; no date, random id, never journaled nor shown in the admin."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="reponses_en_attente")
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    corps = models.CharField(_("corps"), max_length=5, choices=Corps.choices)
    # [{"question_id": …, "note": …, "oui": …, "texte": …}, …]
    valeurs = models.JSONField(_("valeurs"), default=list)

    class Meta:
        verbose_name = _("réponse en attente")
        verbose_name_plural = _("réponses en attente")

    def __str__(self):
        return str(self.id)


class Valeur(models.Model):
    """The answer of one response to one question (random id: a sequence would date the responses)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reponse = models.ForeignKey(Reponse, on_delete=models.CASCADE, related_name="valeurs")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="valeurs")
    note = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    oui = models.BooleanField(_("oui"), null=True, blank=True)
    texte = models.TextField(_("texte"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("valeur")
        verbose_name_plural = _("valeurs")
        constraints = [
            models.UniqueConstraint(fields=["reponse", "question"], name="une_valeur_par_question"),
            models.CheckConstraint(
                condition=Q(note__isnull=True) | Q(note__gte=NOTE_MIN, note__lte=NOTE_MAX), name="note_dans_l_echelle"
            ),
        ]

    def __str__(self):
        return f"{self.question_id} — {self.reponse_id}"
