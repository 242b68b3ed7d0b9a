from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidatures.models import Candidature
from mentorat.models import Promotion


class StatutBinome(models.TextChoices):
    PROPOSE = "propose", _("Proposé")
    CONFIRME = "confirme", _("Confirmé")
    ACTIF = "actif", _("Actif")
    TERMINE = "termine", _("Terminé")
    ARRETE = "arrete", _("Arrêté")


class BinomeQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(statut__in=[StatutBinome.CONFIRME, StatutBinome.ACTIF])

    def de_l_utilisateur(self, user):
        """The pairs in which `user` is mentor or mentee."""
        return self.filter(models.Q(mentor__utilisateur=user) | models.Q(mentore__utilisateur=user))


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
