"""Personal-data rights: what reached the end of its retention period, and the erasure requests.

Neither model names a person in its `__str__`: both appear in the audit journal, which outlives an anonymisation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from candidatures.models import Candidature


class Nature(models.TextChoices):
    CANDIDATURE = "candidature", _("Candidature sans binôme")
    PARTICIPATION = "participation", _("Participation à un binôme")
    JOURNAL = "journal", _("Entrées du journal d'audit")


class EtatExpiration(models.TextChoices):
    A_APPROUVER = "a_approuver", _("À approuver")
    APPROUVEE = "approuvee", _("Approuvée, anonymisation en cours")
    ANONYMISEE = "anonymisee", _("Anonymisée")


class ExpirationQuerySet(models.QuerySet):
    def a_approuver(self):
        return self.filter(etat=EtatExpiration.A_APPROUVER)

    def approuvees(self):
        """Approved, not anonymised yet: the work of `services.anonymiser_approuvees`."""
        return self.filter(etat=EtatExpiration.APPROUVEE)

    def en_cours(self):
        return self.exclude(etat=EtatExpiration.ANONYMISEE)


class Expiration(models.Model):
    """Something that has reached the end of its retention period (`rgpd.conservation`): an application, or the
    journal's entries older than `limite`. Listed by the daily job (« à approuver »), approved by the pilot
    (« approuvée »), then anonymised by a Celery task (« anonymisée »); `services` moves it along."""

    nature = models.CharField(_("nature"), max_length=15, choices=Nature.choices)
    candidature = models.OneToOneField(
        Candidature,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expiration",
        verbose_name=_("candidature"),
    )
    echeance = models.DateField(_("fin de la durée de conservation"))
    limite = models.DateTimeField(
        _("entrées antérieures au"), null=True, blank=True, help_text=_("Pour le journal d'audit seulement.")
    )
    nombre = models.PositiveIntegerField(_("nombre d'entrées"), null=True, blank=True)
    etat = models.CharField(
        _("état"), max_length=12, choices=EtatExpiration.choices, default=EtatExpiration.A_APPROUVER
    )
    listee_le = models.DateTimeField(_("listée le"), auto_now_add=True)
    approuvee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approuvée par"),
    )
    approuvee_le = models.DateTimeField(_("approuvée le"), null=True, blank=True)
    anonymisee_le = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = ExpirationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donnée arrivée à échéance")
        verbose_name_plural = _("données arrivées à échéance")
        ordering = ["etat", "echeance", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nature=Nature.JOURNAL, candidature=None, limite__isnull=False)
                | (~Q(nature=Nature.JOURNAL) & Q(candidature__isnull=False)),
                name="expiration_candidature_ou_journal",
            ),
            # The daily job lists the journal again only once the last listing has been carried out.
            models.UniqueConstraint(
                fields=["nature"],
                condition=Q(nature=Nature.JOURNAL) & ~Q(etat=EtatExpiration.ANONYMISEE),
                name="une_purge_du_journal_a_la_fois",
            ),
        ]

    def __str__(self):
        if self.nature == Nature.JOURNAL:
            return _("Journal d'audit avant le %(date)s") % {
                "date": self.limite.strftime("%d/%m/%Y") if self.limite else ""
            }
        return _("%(nature)s n°%(pk)s") % {"nature": self.get_nature_display(), "pk": self.candidature_id}


class StatutDemande(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    ACCEPTEE = "acceptee", _("Acceptée : données effacées")
    REFUSEE = "refusee", _("Refusée")


class DemandeEffacement(models.Model):
    """A person asks that their personal data be erased; an engineer accepts (`services.accepter_demande`, which
    anonymises the person) or refuses with a reason. Either way the person is told by e-mail."""

    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="demandes_effacement",
        verbose_name=_("demandeur"),
    )
    message = models.TextField(_("message du demandeur"), max_length=2000, blank=True)
    demandee_le = models.DateTimeField(_("demandée le"), auto_now_add=True)
    statut = models.CharField(
        _("statut"), max_length=12, choices=StatutDemande.choices, default=StatutDemande.EN_ATTENTE
    )
    traitee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    traitee_le = models.DateTimeField(_("traitée le"), null=True, blank=True)
    motif_refus = models.TextField(_("motif du refus"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("demande d'effacement")
        verbose_name_plural = _("demandes d'effacement")
        ordering = ["-demandee_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["utilisateur"],
                condition=Q(statut="en_attente"),
                name="une_demande_d_effacement_en_attente",
            ),
        ]

    def __str__(self):
        return _("Demande d'effacement n°%(pk)s") % {"pk": self.pk}
