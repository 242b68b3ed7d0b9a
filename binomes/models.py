import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidatures.models import Candidature
from mentorat.models import Promotion, Utilisateur


class StatutBinome(models.TextChoices):
    PROPOSE = "propose", _("Proposé")
    CONFIRME = "confirme", _("Confirmé")
    ACTIF = "actif", _("Actif")
    TERMINE = "termine", _("Terminé")
    ARRETE = "arrete", _("Arrêté")

    @classmethod
    def qui_se_rencontrent(cls) -> frozenset["StatutBinome"]:
        """Confirmed (before the launch day) or active: the pair meets, logs its meetings, is reminded."""
        return frozenset({cls.CONFIRME, cls.ACTIF})

    @classmethod
    def clos(cls) -> frozenset["StatutBinome"]:
        """Stopped early or finished: nothing more is asked of the pair; its history stays."""
        return frozenset({cls.ARRETE, cls.TERMINE})

    @property
    def est_clos(self) -> bool:
        return self in StatutBinome.clos()

    @property
    def suivants(self) -> frozenset["StatutBinome"]:
        """The statuses this one may become (`services.vie.changer_statut` refuses any other)."""
        return {
            StatutBinome.PROPOSE: frozenset({StatutBinome.CONFIRME, StatutBinome.ACTIF, StatutBinome.ARRETE}),
            StatutBinome.CONFIRME: frozenset({StatutBinome.ACTIF, StatutBinome.ARRETE, StatutBinome.TERMINE}),
            StatutBinome.ACTIF: frozenset({StatutBinome.ARRETE, StatutBinome.TERMINE}),
        }.get(self, frozenset())


# How long after the launch day an unconfirmed pair waits before it is flagged to its referent.
DELAI_CONFIRMATION = datetime.timedelta(weeks=2)


class MotifArret(models.TextChoices):
    INDISPONIBILITE = "indisponibilite", _("Indisponibilité durable (santé, charge de travail)")
    CHANGEMENT_POSTE = "changement_poste", _("Changement de poste ou de situation")
    RELATION = "relation", _("La relation ne fonctionne pas")
    ENJEU = "enjeu", _("Un enjeu professionnel est apparu dans le binôme")
    AUTRE = "autre", _("Autre raison")


class BinomeQuerySet(models.QuerySet):
    def actifs(self):
        """Pairs that meet: confirmed at the launch day (or before it), then active."""
        return self.filter(statut__in=StatutBinome.qui_se_rencontrent())

    def a_terminer(self, aujourd_hui):
        """Pairs still meeting whose promotion's bilan day has come: their year is over."""
        return self.filter(statut__in=StatutBinome.qui_se_rencontrent(), promotion__journee_bilan__lte=aujourd_hui)

    def a_signaler_non_confirmes(self, aujourd_hui):
        """Proposed pairs still unconfirmed two weeks after their launch day, not flagged yet."""
        return self.filter(
            statut=StatutBinome.PROPOSE,
            non_confirme_signale_le__isnull=True,
            promotion__journee_lancement__lte=aujourd_hui - DELAI_CONFIRMATION,
        )

    def a_activer(self, aujourd_hui):
        """Confirmed pairs whose promotion's launch day has come: they become active."""
        return self.filter(statut=StatutBinome.CONFIRME, promotion__journee_lancement__lte=aujourd_hui)

    def de_l_utilisateur(self, user):
        """The pairs in which `user` is mentor or mentee.

        A UNION of the two sides, each read through the indexes on the applications' user and on the
        pair's mentor or mentee: an OR across the two joins is served by no index (every pair is read).
        """

        def cote(role: str):
            return self.model.objects.filter(**{f"{role}__utilisateur": user}).order_by().values("pk")

        return self.filter(pk__in=cote("mentor").union(cote("mentore")))


class Binome(models.Model):
    """One mentor and one mentee of a promotion, followed through the year by a referent engineer."""

    promotion = models.ForeignKey(Promotion, on_delete=models.PROTECT, related_name="binomes")
    mentor = models.ForeignKey(
        Candidature, on_delete=models.PROTECT, related_name="binomes_comme_mentor", verbose_name=_("mentor")
    )
    mentore = models.ForeignKey(
        Candidature, on_delete=models.PROTECT, related_name="binomes_comme_mentore", verbose_name=_("mentoré·e")
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="binomes_suivis",
        verbose_name=_("ingénieur référent"),
    )
    statut = models.CharField(_("statut"), max_length=10, choices=StatutBinome.choices, default=StatutBinome.PROPOSE)
    score = models.PositiveSmallIntegerField(_("score de compatibilité"), default=0)
    raisons = models.JSONField(_("raisons du score"), default=list, blank=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("validé par"),
    )
    decide_le = models.DateTimeField(_("validé le"), auto_now_add=True)
    motif_decision = models.TextField(_("motif de la décision du comité"), max_length=2000, blank=True)
    arret_demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arrêt demandé par"),
    )
    arret_demande_le = models.DateTimeField(_("arrêt demandé le"), null=True, blank=True)
    motif_arret = models.CharField(_("motif de l'arrêt"), max_length=20, choices=MotifArret.choices, blank=True)
    date_arret = models.DateField(_("date de l'arrêt"), null=True, blank=True)
    arret_enregistre_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arrêt enregistré par"),
    )
    # For the committee only: a general note, never the content of the pair's exchanges.
    note_arret = models.CharField(_("note sur l'arrêt pour le comité"), max_length=300, blank=True)
    # The stop closes on a last meeting (its date, one of the logged meetings) or on the reason there was none.
    derniere_rencontre_le = models.DateField(_("dernière rencontre du binôme"), null=True, blank=True)
    sans_derniere_rencontre = models.CharField(
        _("raison de l'absence de dernière rencontre"), max_length=300, blank=True
    )
    # The pair's objectives, copied from the mentee's application at validation and revised by the mentee in the
    # pair's space: seen by the pair only (not editable, hence in no admin form of the committee).
    objectifs = models.JSONField(_("objectifs du binôme"), default=list, blank=True, editable=False)
    # Two weeks after the launch day, a pair whose members have not both confirmed is flagged to its referent.
    non_confirme_signale_le = models.DateTimeField(_("absence de confirmation signalée le"), null=True, blank=True)

    objects = BinomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("binôme")
        verbose_name_plural = _("binômes")
        ordering = ["promotion", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["promotion", "mentor"], name="un_binome_par_mentor_et_promotion"),
            models.UniqueConstraint(fields=["promotion", "mentore"], name="un_binome_par_mentore_et_promotion"),
        ]

    def __str__(self):
        return _("%(mentore)s avec %(mentor)s") % {
            "mentore": self.mentore.utilisateur,
            "mentor": self.mentor.utilisateur,
        }

    def get_absolute_url(self) -> str:
        # The pair's page: members, referent and committee see it; the admin links to it ("Voir sur le site").
        return reverse("binomes:detail", args=[self.pk])

    def clean(self):
        super().clean()
        # The referent follows the pair for the committee: an active engineer, never a candidate or a member.
        if self.referent_id is not None and not Utilisateur.objects.ingenieurs().filter(pk=self.referent_id).exists():
            raise ValidationError(
                {"referent": _("Le référent doit être un ingénieur ou une ingénieure en mentorat actif.")}
            )

    def membres(self) -> list:
        return [self.mentor.utilisateur, self.mentore.utilisateur]

    @property
    def est_clos(self) -> bool:
        return StatutBinome(self.statut).est_clos

    @property
    def arret_en_attente(self) -> bool:
        """A member asked to stop and the referent has not recorded it yet."""
        return bool(self.arret_demande_le) and not self.est_clos

    @property
    def est_confirme(self) -> bool:
        """Both members confirmed together: the pair meets (or met)."""
        return self.statut != StatutBinome.PROPOSE

    def membres_ids(self) -> list[int]:
        """The two members' user ids, without loading the users."""
        return [self.mentor.utilisateur_id, self.mentore.utilisateur_id]

    def role_de(self, user) -> str:
        """« mentor » or « mentore » for a member of the pair, "" otherwise."""
        if self.mentor.utilisateur_id == user.pk:
            return "mentor"
        if self.mentore.utilisateur_id == user.pk:
            return "mentore"
        return ""

    def autre_que(self, user) -> Candidature:
        """The other member's application."""
        return self.mentore if self.mentor.utilisateur_id == user.pk else self.mentor


class Exclusion(models.Model):
    """A pair the committee forbids by hand, with its reason: never proposed."""

    promotion = models.ForeignKey(Promotion, on_delete=models.CASCADE, related_name="exclusions")
    mentore = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentoré·e"))
    mentor = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor"))
    motif = models.CharField(_("motif"), max_length=300)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("décidée par")
    )
    cree_le = models.DateTimeField(_("décidée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [models.UniqueConstraint(fields=["mentore", "mentor"], name="une_exclusion_par_paire")]

    def __str__(self):
        return _("%(mentore)s ne peut être avec %(mentor)s") % {
            "mentore": self.mentore.utilisateur,
            "mentor": self.mentor.utilisateur,
        }


class Proposition(models.Model):
    """The committee's working draft of the pairs of a promotion; nothing here is a pair until validated."""

    promotion = models.OneToOneField(Promotion, on_delete=models.CASCADE, related_name="proposition")
    calculee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("calculée par")
    )
    calculee_le = models.DateTimeField(_("calculée le"))

    class Meta:
        verbose_name = _("proposition d'appariement")
        verbose_name_plural = _("propositions d'appariement")

    def __str__(self):
        return _("Proposition pour la promotion %(nom)s") % {"nom": self.promotion.nom}


class LigneProposition(models.Model):
    """One proposed pair of a draft; a locked line is kept when the proposal is computed again."""

    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE, related_name="lignes")
    mentore = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentoré·e"))
    mentor = models.ForeignKey(Candidature, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor"))
    score = models.PositiveSmallIntegerField(_("score"))
    raisons = models.JSONField(_("raisons"), default=list)
    # The points on each criterion (themes, corps, distance, modes): the screen draws the score split by them.
    points = models.JSONField(_("points par critère"), default=dict, blank=True)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingénieur référent"),
    )
    verrouillee = models.BooleanField(_("verrouillée"), default=False)
    ajoutee_a_la_main = models.BooleanField(_("ajoutée à la main"), default=False)

    class Meta:
        verbose_name = _("ligne de proposition")
        verbose_name_plural = _("lignes de proposition")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposition", "mentore"], name="ligne_un_mentore_par_proposition"),
            models.UniqueConstraint(fields=["proposition", "mentor"], name="ligne_un_mentor_par_proposition"),
        ]

    def __str__(self):
        return f"{self.mentore.utilisateur} — {self.mentor.utilisateur}"


class Charte(models.Model):
    """The charter of ethics and mutual commitments; a new text is a new version, signatures keep theirs."""

    version = models.PositiveSmallIntegerField(_("version"), unique=True)
    texte = models.TextField(_("texte"))
    publiee_le = models.DateField(_("publiée le"))

    class Meta:
        verbose_name = _("charte")
        verbose_name_plural = _("chartes")
        ordering = ["-version"]

    def __str__(self):
        return _("Charte, version %(version)s") % {"version": self.version}


class Engagement(models.Model):
    """What one member of a pair has signed and confirmed."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="engagements")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    charte = models.ForeignKey(
        Charte, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("version de la charte signée")
    )
    charte_signee_le = models.DateTimeField(_("charte signée le"), null=True, blank=True)
    absence_enjeux_confirmee_le = models.DateTimeField(
        _("absence d'enjeux et engagement confirmés le"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [models.UniqueConstraint(fields=["binome", "utilisateur"], name="un_engagement_par_membre")]

    def __str__(self):
        return f"{self.utilisateur} — {self.binome}"


class AnnonceSansBinome(models.Model):
    """A retained candidate was told there is no pair for them: recorded so that a later validation never repeats it."""

    candidature = models.OneToOneField(Candidature, on_delete=models.CASCADE, related_name="+")
    envoyee_le = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("annonce « pas de binôme »")
        verbose_name_plural = _("annonces « pas de binôme »")

    def __str__(self):
        return str(self.candidature)
