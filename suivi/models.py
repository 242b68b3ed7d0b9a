"""The meeting log of the pairs, their transmissions, the reminders sent and the calendar tokens.

Confidentiality shapes this schema: a meeting records a date, a mode and general
themes, never the content of the exchange (there is no field for it).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from binomes.models import Binome
from candidatures.models import Theme
from mentorat.models import EnvoiUnique, index_des_envois_dus


class Mode(models.TextChoices):
    PRESENTIEL = "presentiel", _("En présentiel")
    VISIO = "visio", _("En visioconférence")


class EtatRencontre(models.TextChoices):
    PREVUE = "prevue", _("Prévue")
    TENUE = "tenue", _("Tenue")


class RencontreQuerySet(models.QuerySet):
    def tenues(self):
        return self.filter(etat=EtatRencontre.TENUE)


class Rencontre(models.Model):
    """A meeting of a pair, planned ahead or held: date, mode and general themes only."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="rencontres", verbose_name=_("binôme"))
    date = models.DateField(_("date"))
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    themes = models.ManyToManyField(Theme, blank=True, related_name="rencontres", verbose_name=_("thèmes abordés"))
    autre_theme = models.CharField(_("autre thème"), max_length=80, blank=True)
    etat = models.CharField(_("état"), max_length=10, choices=EtatRencontre.choices, default=EtatRencontre.PREVUE)
    notee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("notée par")
    )
    cree_le = models.DateTimeField(_("notée le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = RencontreQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        ordering = ["binome", "date"]
        constraints = [
            # Also serves the reminders' selection: the last meeting held by a pair, and "none held since".
            models.UniqueConstraint(
                fields=["binome", "date"],
                name="une_rencontre_par_jour_et_binome",
                violation_error_message=_("Une rencontre est déjà notée à cette date pour votre binôme."),
            ),
        ]
        indexes = [
            # The reminders' "a meeting is planned ahead": the few planned meetings, by date (64 kB for
            # 800,000 meetings, where an index on (etat, date) would also hold every held one).
            models.Index(fields=["date"], name="rencontre_prevue_par_date", condition=Q(etat=EtatRencontre.PREVUE)),
        ]

    def __str__(self):
        return _("Rencontre du %(date)s") % {"date": self.date.strftime("%d/%m/%Y")}

    @property
    def est_tenue(self) -> bool:
        return self.etat == EtatRencontre.TENUE

    def a_confirmer(self, aujourd_hui) -> bool:
        """A planned meeting whose date has passed: the pair should say whether it took place."""
        return self.etat == EtatRencontre.PREVUE and self.date < aujourd_hui


class Moment(models.TextChoices):
    MI_PARCOURS = "mi_parcours", _("Mi-parcours")
    FIN = "fin", _("Fin du programme")


class Transmission(models.Model):
    """The pair sent its tracking table to the engineers, at mid-course or at the end."""

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="transmissions")
    moment = models.CharField(_("moment"), max_length=12, choices=Moment.choices)
    transmise_le = models.DateTimeField(_("transmise le"), auto_now_add=True)
    transmise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("par")
    )

    class Meta:
        verbose_name = _("transmission du tableau de suivi")
        verbose_name_plural = _("transmissions des tableaux de suivi")
        ordering = ["binome", "transmise_le"]
        constraints = [
            models.UniqueConstraint(fields=["binome", "moment"], name="une_transmission_par_moment"),
        ]

    def __str__(self):
        return f"{self.binome} — {self.get_moment_display()}"


class TypeRappel(models.TextChoices):
    PLANIFIER = "planifier", _("Relance : planifier la prochaine rencontre (6 semaines)")
    ALERTE = "alerte", _("Alerte : écart maximal atteint (8 semaines)")
    ECART_DEPASSE = "ecart_depasse", _("Information du référent : rencontre après un écart dépassé")


class RappelQuerySet(models.QuerySet):
    def a_envoyer(self):
        """Not sent yet, for a pair still meeting: a pair stopped or finished since gets nothing more.

        The pair's state is read through `binome_id IN (…)`, with no join on this table,
        so that the atomic claim in `services.envoyer_rappel` stays one plain UPDATE.
        """
        return self.filter(envoye_le=None, binome__in=Binome.objects.actifs())


class Rappel(EnvoiUnique):
    """One reminder for one pair, kind and reference date: sent exactly once.

    `date_reference` is the date the delay is counted from (last held meeting, or
    launch day) so that a reminder is never sent twice for the same silence.
    """

    tache_envoi = "suivi.tasks.envoyer_rappel"

    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="rappels", verbose_name=_("binôme"))
    type = models.CharField(_("type"), max_length=15, choices=TypeRappel.choices)
    date_reference = models.DateField(_("date de référence"))
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = RappelQuerySet.as_manager()

    class Meta:
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")
        ordering = ["-cree_le"]
        constraints = [
            models.UniqueConstraint(fields=["binome", "type", "date_reference"], name="un_rappel_par_type_et_date"),
        ]
        indexes = [
            models.Index(fields=["envoye_le"], name="rappel_a_envoyer", condition=Q(envoye_le=None)),
            index_des_envois_dus("rappel_du"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.binome_id}"

    @classmethod
    def envoyables(cls):
        return cls.objects.a_envoyer()


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(32)


class JetonCalendrier(models.Model):
    """The secret of a person's personal iCalendar feed URL; regenerating it revokes the old URL."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jeton_calendrier"
    )
    jeton = models.CharField(_("jeton"), max_length=64, unique=True, default=nouveau_jeton)
    cree_le = models.DateTimeField(_("créé le"), auto_now=True)

    class Meta:
        verbose_name = _("jeton de calendrier")
        verbose_name_plural = _("jetons de calendrier")

    def __str__(self):
        return str(self.utilisateur)


class TypeExport(models.TextChoices):
    TABLEAUX_CSV = "tableaux_csv", _("Tableaux de suivi (CSV)")
    TABLEAUX_PDF = "tableaux_pdf", _("Tableaux de suivi (PDF)")


class StatutExport(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    EN_COURS = "en_cours", _("En cours")
    PRET = "pret", _("Prêt")
    ECHEC = "echec", _("Échec")


class ExportQuerySet(models.QuerySet):
    def expires(self, maintenant):
        return self.filter(expire_le__lte=maintenant)


class Export(models.Model):
    """A large export produced in the background (`suivi.tasks.produire_export`), downloaded from its page.

    Its file is kept in the database, never in a public directory: only the engineer who asked for it and the
    other engineers may download it (`suivi.rules.peut_telecharger_export`), until `expire_le`; then it is gone
    (the row is deleted by the daily sweep). Its identifier is a random UUID: a link leaks no count of exports.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=TypeExport.choices)
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("demandé par")
    )
    promotion = models.ForeignKey(
        "mentorat.Promotion", on_delete=models.CASCADE, related_name="+", verbose_name=_("promotion")
    )
    # The dashboard's filters: {"mes_binomes": bool, "situation": str}.
    filtres = models.JSONField(_("filtres"), default=dict, blank=True)
    nombre_de_binomes = models.PositiveIntegerField(_("nombre de binômes"), default=0)
    statut = models.CharField(_("statut"), max_length=12, choices=StatutExport.choices, default=StatutExport.EN_ATTENTE)
    progression = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    contenu = models.BinaryField(_("contenu"), null=True, editable=False)
    taille = models.PositiveIntegerField(_("taille (octets)"), default=0)
    cree_le = models.DateTimeField(_("demandé le"), auto_now_add=True)
    termine_le = models.DateTimeField(_("terminé le"), null=True, blank=True)
    expire_le = models.DateTimeField(_("expire le"), db_index=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.get_type_display()} — {self.cree_le:%d/%m/%Y %H:%M}"

    @property
    def extension(self) -> str:
        return "pdf" if self.type == TypeExport.TABLEAUX_PDF else "csv"

    @property
    def nom_de_fichier(self) -> str:
        return f"tableaux-de-suivi-{self.promotion_id}.{self.extension}"

    @property
    def type_mime(self) -> str:
        return "application/pdf" if self.type == TypeExport.TABLEAUX_PDF else "text/csv; charset=utf-8"

    def est_expire(self, maintenant) -> bool:
        return self.expire_le <= maintenant
