"""The meeting log of the pairs, their transmissions, the reminders sent and the calendar tokens.

Confidentiality shapes this schema: a meeting records a date, a mode and general
themes, never the content of the exchange (there is no field for it).
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class TypeEvenement(models.TextChoices):
    """The three collective times of a promotion's year, in their order."""

    LANCEMENT = "lancement", _("Journée de lancement")
    MI_PARCOURS = "mi_parcours", _("Temps collectif de mi-parcours (à distance)")
    BILAN = "bilan", _("Journée de bilan")


class EvenementCollectif(models.Model):
    """A collective time of a promotion: when, where (a place or a video link) and a short programme.

    Its day may differ from the promotion's planned date (a room moved), but never leaves the promotion's
    year: from the close of applications to the end of the programme (`clean`)."""

    promotion = models.ForeignKey(
        "mentorat.Promotion",
        on_delete=models.CASCADE,
        related_name="evenements_collectifs",
        verbose_name=_("promotion"),
    )
    type = models.CharField(_("temps collectif"), max_length=12, choices=TypeEvenement.choices)
    debut = models.DateTimeField(_("début"))
    fin = models.DateTimeField(_("fin"))
    lieu = models.CharField(_("lieu"), max_length=200, blank=True, help_text=_("Adresse, pour un temps en présentiel."))
    lien_visio = models.URLField(
        _("lien de visioconférence"), blank=True, help_text=_("Pour un temps à distance (https://…).")
    )
    programme = models.TextField(_("programme"), max_length=1000, blank=True)
    invitations_envoyees_le = models.DateTimeField(_("invitations envoyées le"), null=True, blank=True)

    class Meta:
        verbose_name = _("temps collectif")
        verbose_name_plural = _("temps collectifs")
        ordering = ["promotion", "debut"]
        constraints = [
            models.UniqueConstraint(
                fields=["promotion", "type"],
                name="un_evenement_par_type_et_promotion",
                violation_error_message=_("Ce temps collectif existe déjà pour cette promotion."),
            ),
            models.CheckConstraint(
                condition=Q(fin__gt=models.F("debut")),
                name="evenement_fin_apres_debut",
                violation_error_message=_("La fin doit suivre le début."),
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.promotion}"

    def clean(self):
        super().clean()
        if not (self.debut and self.fin):
            return
        erreurs = {}
        if self.fin <= self.debut:
            erreurs["fin"] = _("La fin doit suivre le début.")
        promotion = self.promotion if self.promotion_id else None
        if promotion is not None:
            premier = timezone.localdate(promotion.cloture_candidatures)
            if not premier <= timezone.localdate(self.debut) <= promotion.fin:
                erreurs["debut"] = _(
                    "La date doit tomber dans l'année de la promotion : entre le %(premier)s et le %(dernier)s."
                ) % {"premier": premier.strftime("%d/%m/%Y"), "dernier": promotion.fin.strftime("%d/%m/%Y")}
            elif timezone.localdate(self.fin) > promotion.fin:
                erreurs["fin"] = _("La fin ne peut dépasser la fin du programme (%(dernier)s).") % {
                    "dernier": promotion.fin.strftime("%d/%m/%Y")
                }
        if not (self.lieu or self.lien_visio):
            erreurs["lieu"] = _("Indiquez un lieu ou un lien de visioconférence.")
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def uid(self) -> str:
        """The calendar UID, the one the personal feed gives this time, so that calendars merge the two."""
        return f"promotion-{self.promotion_id}-{list(TypeEvenement).index(TypeEvenement(self.type))}@mentorat"


class ReponseInvitation(models.TextChoices):
    PRESENT = "present", _("Présent·e")
    ABSENT = "absent", _("Absent·e")


class ParticipationQuerySet(models.QuerySet):
    def de_l_utilisateur(self, user):
        return self.filter(utilisateur=user).select_related("evenement__promotion").order_by("evenement__debut")


class Participation(models.Model):
    """A member of a promotion's pairs invited to one of its collective times: their answer, then whether they
    came (recorded by the engineers, seen by them only)."""

    evenement = models.ForeignKey(
        EvenementCollectif, on_delete=models.CASCADE, related_name="participations", verbose_name=_("temps collectif")
    )
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("participant·e"),
    )
    reponse = models.CharField(_("réponse"), max_length=8, choices=ReponseInvitation.choices, blank=True)
    repondu_le = models.DateTimeField(_("répondu le"), null=True, blank=True)
    present = models.BooleanField(_("présence constatée"), null=True, blank=True)
    presence_notee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("présence notée par"),
    )
    presence_notee_le = models.DateTimeField(_("présence notée le"), null=True, blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation à un temps collectif")
        verbose_name_plural = _("participations aux temps collectifs")
        ordering = ["evenement", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evenement", "utilisateur"], name="une_participation_par_personne"),
        ]

    def __str__(self):
        return f"{self.utilisateur} — {self.evenement}"


class TypeExport(models.TextChoices):
    TABLEAUX_CSV = "tableaux_csv", _("Tableaux de suivi (CSV)")
    TABLEAUX_PDF = "tableaux_pdf", _("Tableaux de suivi (PDF)")
    CANDIDATURES_XLSX = "candidatures_xlsx", _("Candidatures (XLSX)")
    SYNTHESE_PDF = "synthese_pdf", _("Synthèse d'une campagne (PDF)")


class StatutExport(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    EN_COURS = "en_cours", _("En cours")
    PRET = "pret", _("Prêt")
    ECHEC = "echec", _("Échec")


class ExportQuerySet(models.QuerySet):
    def expires(self, maintenant):
        return self.filter(expire_le__lte=maintenant)


class Export(models.Model):
    """A large export produced in the background (`suivi.tasks.produire_export`), downloaded from its page: the
    tracking tables (CSV, PDF), the applications (XLSX), a campaign's synthesis (PDF).

    Its file is kept in the database, never in a public directory: only those who may download that document today
    may download it (`suivi.rules.peut_telecharger_export`; for the tracking tables, the engineers), until
    `expire_le`; then it is gone (the row is deleted by the daily sweep). Its identifier is a random UUID: a link
    leaks no count of exports. What each kind needs beyond this row is in `suivi.exports_differes`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=TypeExport.choices)
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("demandé par")
    )
    # None for an export of the applications of every promotion.
    promotion = models.ForeignKey(
        "mentorat.Promotion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("promotion"),
    )
    # What the document is made of. The tracking tables: the dashboard's filters {"mes_binomes": bool, "situation":
    # str}; the applications: {"candidatures": [ids, in the list's order], "champs": [...], "requete": str}; a
    # synthesis: {"campagne": id, "reponses": int, "cle": the synthesis's cache key, which a change of it renews}.
    filtres = models.JSONField(_("filtres"), default=dict, blank=True)
    nombre_de_binomes = models.PositiveIntegerField(_("nombre de binômes"), default=0)
    statut = models.CharField(_("statut"), max_length=12, choices=StatutExport.choices, default=StatutExport.EN_ATTENTE)
    progression = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    contenu = models.BinaryField(_("contenu"), null=True, editable=False)
    taille = models.PositiveIntegerField(_("taille (octets)"), default=0)
    cree_le = models.DateTimeField(_("demandé le"), auto_now_add=True)
    demarre_le = models.DateTimeField(_("commencé le"), null=True, blank=True)
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
        extensions: dict[str, str] = {TypeExport.TABLEAUX_CSV: "csv", TypeExport.CANDIDATURES_XLSX: "xlsx"}
        return extensions.get(self.type, "pdf")

    @property
    def nom_de_fichier(self) -> str:
        if self.type == TypeExport.CANDIDATURES_XLSX:
            # Dated by the Paris day it was asked, as the immediate export is.
            return f"candidatures-{timezone.localdate(self.cree_le):%Y-%m-%d}.xlsx"
        if self.type == TypeExport.SYNTHESE_PDF:
            return f"synthese-evaluation-{self.filtres.get('campagne')}.pdf"
        return f"tableaux-de-suivi-{self.promotion_id}.{self.extension}"

    @property
    def type_mime(self) -> str:
        return {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pdf": "application/pdf",
        }[self.extension]

    def est_expire(self, maintenant) -> bool:
        return self.expire_le <= maintenant
