import datetime

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

GROUPE_PILOTE = "Pilote"
GROUPE_INGENIEUR = "Ingénieur en mentorat"


class Corps(models.TextChoices):
    DH = "DH", _("Directeur ou directrice d'hôpital (DH)")
    D3S = "D3S", _("Directeur ou directrice d'établissement sanitaire, social et médico-social (D3S)")
    DS = "DS", _("Directeur ou directrice des soins (DS)")
    PH = "PH", _("Praticien ou praticienne hospitalier (PH)")


def corps_par_defaut() -> list[str]:
    return [Corps.DH, Corps.D3S, Corps.DS]


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def comite(self):
        """The active members of the mentoring committee (the pilot and the engineers)."""
        return self.filter(is_active=True, groups__name__in=[GROUPE_PILOTE, GROUPE_INGENIEUR]).distinct()

    def ingenieurs(self):
        return self.filter(is_active=True, groups__name=GROUPE_INGENIEUR)

    def ingenieurs_par_charge(self, promotion: "Promotion"):
        """The active engineers, annotated with `nombre_binomes` (the pairs of `promotion` each follows as
        referent, through the pairs' reverse relation `binomes_suivis`), the least loaded first; one query."""
        return (
            self.ingenieurs()
            .annotate(
                nombre_binomes=models.Count("binomes_suivis", filter=models.Q(binomes_suivis__promotion=promotion))
            )
            .order_by("nombre_binomes", "nom", "prenom", "pk")
        )


# The address of an anonymised person (`rgpd.anonymisation`): a reserved top-level domain (RFC 2606), and
# `emails.envoyer` never writes to it.
DOMAINE_ANONYME = "anonyme.invalid"


class Utilisateur(AbstractBaseUser, PermissionsMixin):
    """A person known to the service: a candidate, a pair member or a committee member.

    Mentor and mentee are not stored here: they follow from the person's
    application (`candidatures.Candidature`) and pair (`binomes.Binome`).
    """

    email = models.EmailField(_("adresse électronique"), max_length=254, unique=True)
    prenom = models.CharField(_("prénom"), max_length=100)
    nom = models.CharField(_("nom"), max_length=100)
    is_staff = models.BooleanField(
        _("accès à l'administration"),
        default=False,
        help_text=_("Réservé aux membres du comité de mentorat."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    email_confirme = models.BooleanField(_("adresse confirmée"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # Set when the person's identity was erased (end of retention or erasure request, `rgpd.anonymisation`): the
    # row stays, so that pairs, invitations and the programme's figures stay whole, under an anonymous name.
    anonymise_le = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    objects = UtilisateurManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["prenom", "nom"]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["nom", "prenom"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="utilisateur_email_unique_insensible_casse"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self):
        return f"{self.prenom} {self.nom}".strip()

    def get_short_name(self):
        return self.prenom


class PromotionQuerySet(models.QuerySet):
    def courante(self):
        """The current promotion, or None."""
        return self.filter(est_courante=True).first()

    def dont_l_annee_court(self, aujourd_hui: datetime.date):
        """Promotions whose year is running on `aujourd_hui` (from the launch day to the end), latest first.

        Not the same as `courante()`: while one promotion recruits, the previous one's pairs are meeting.
        """
        return self.filter(journee_lancement__lte=aujourd_hui, fin__gte=aujourd_hui).order_by("-journee_lancement")


class Promotion(models.Model):
    """A yearly cohort of the programme; every date and rule of the year is set here."""

    nom = models.CharField(_("nom"), max_length=20, unique=True, help_text=_("Par exemple « 2024/2025 »."))
    est_courante = models.BooleanField(
        _("promotion en cours"),
        default=False,
        help_text=_("La promotion présentée sur la page d'accueil et ouverte aux candidatures."),
    )
    date_premier_poste = models.DateField(
        _("date de prise du premier poste"),
        help_text=_("Les mentorés prennent leur premier poste de direction à cette date."),
    )
    ouverture_candidatures = models.DateTimeField(_("ouverture des candidatures"))
    cloture_candidatures = models.DateTimeField(
        _("clôture des candidatures"),
        help_text=_("Aucune candidature n'est acceptée à partir de cet instant."),
    )
    journee_lancement = models.DateField(_("journée de lancement"))
    ouverture_confirmation = models.DateField(
        _("ouverture de la confirmation commune"),
        null=True,
        blank=True,
        help_text=_(
            "Les deux membres de chaque binôme confirment ensemble l'absence d'enjeux à partir de cette date ; "
            "vide : à la journée de lancement."
        ),
    )
    lieu_lancement = models.CharField(_("lieu de la journée de lancement"), max_length=200)
    evenement_mi_parcours = models.DateField(_("temps collectif de mi-parcours"))
    journee_bilan = models.DateField(_("journée de bilan"))
    fin = models.DateField(_("fin du programme"), help_text=_("Dernier jour où une rencontre peut être notée."))
    rencontres_min = models.PositiveSmallIntegerField(_("nombre minimal de rencontres"), default=6)
    rencontres_max = models.PositiveSmallIntegerField(_("nombre maximal de rencontres"), default=8)
    ecart_max_semaines = models.PositiveSmallIntegerField(
        _("écart maximal entre deux rencontres (semaines)"), default=8
    )
    corps_mentores = models.JSONField(_("corps éligibles pour les mentorés"), default=corps_par_defaut)
    corps_mentors = models.JSONField(_("corps éligibles pour les mentors"), default=corps_par_defaut)
    binomes_mixtes = models.BooleanField(
        _("binômes de corps différents autorisés"),
        default=True,
        help_text=_("Un binôme du même corps reste préféré ; décochez pour l'imposer."),
    )
    mentor_annees_direction = models.PositiveSmallIntegerField(
        _("mentors DH et D3S : années de direction exigées"), default=15
    )
    mentor_postes_distincts = models.PositiveSmallIntegerField(
        _("mentors DH et D3S : postes de direction distincts exigés"), default=2
    )
    mentor_ds_annees_encadrement = models.PositiveSmallIntegerField(
        _("mentors DS : années d'exercice en environnement sanitaire avec encadrement"), default=15
    )
    mentor_ds_annees_ds = models.PositiveSmallIntegerField(_("mentors DS : années en tant que DS"), default=7)
    email_contact = models.EmailField(_("adresse de contact du comité"))
    places_mentores = models.PositiveIntegerField(
        _("places de mentorés"),
        null=True,
        blank=True,
        help_text=_(
            "Nombre de mentorés que la promotion peut accueillir ; au-delà, les candidatures retenues vont sur "
            "une liste d'attente. Vide : pas de limite."
        ),
    )

    objects = PromotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-journee_lancement"]
        constraints = [
            models.UniqueConstraint(
                fields=["est_courante"],
                condition=models.Q(est_courante=True),
                name="une_seule_promotion_courante",
                violation_error_message=_("Une autre promotion est déjà la promotion en cours."),
            ),
            models.CheckConstraint(
                condition=models.Q(cloture_candidatures__gt=models.F("ouverture_candidatures")),
                name="promotion_cloture_apres_ouverture",
                violation_error_message=_("La clôture des candidatures doit suivre leur ouverture."),
            ),
            models.CheckConstraint(
                condition=models.Q(rencontres_max__gte=models.F("rencontres_min")),
                name="promotion_rencontres_min_max",
                violation_error_message=_("Le nombre maximal de rencontres ne peut être inférieur au minimal."),
            ),
        ]

    def __str__(self):
        return _("Promotion %(nom)s") % {"nom": self.nom}

    def clean(self):
        super().clean()
        dates = [self.journee_lancement, self.evenement_mi_parcours, self.journee_bilan, self.fin]
        if all(dates) and dates != sorted(dates):
            raise ValidationError(
                _("Les dates doivent se suivre : lancement, mi-parcours, bilan, puis fin du programme.")
            )
        if (
            self.ouverture_confirmation
            and self.journee_lancement
            and self.ouverture_confirmation > self.journee_lancement
        ):
            raise ValidationError(
                {"ouverture_confirmation": _("La confirmation commune ne peut ouvrir après la journée de lancement.")}
            )
        inconnus = set(self.corps_mentores or []) | set(self.corps_mentors or [])
        inconnus -= set(Corps.values)
        if inconnus:
            raise ValidationError(_("Corps inconnus : %(corps)s.") % {"corps": ", ".join(sorted(inconnus))})

    def confirmation_ouverte_le(self) -> datetime.date:
        """The day the pairs may confirm together: the launch day unless the committee opened it earlier."""
        if self.ouverture_confirmation and self.ouverture_confirmation < self.journee_lancement:
            return self.ouverture_confirmation
        return self.journee_lancement

    def candidatures_ouvertes(self, maintenant: datetime.datetime | None = None) -> bool:
        maintenant = maintenant or timezone.now()
        return self.ouverture_candidatures <= maintenant < self.cloture_candidatures

    def candidatures_a_venir(self, maintenant: datetime.datetime | None = None) -> bool:
        return (maintenant or timezone.now()) < self.ouverture_candidatures

    @property
    def date_reference_anciennete(self) -> datetime.date:
        """Mentors' seniority is counted up to the application deadline (Paris day)."""
        return timezone.localdate(self.cloture_candidatures)

    @property
    def ecart_max(self) -> datetime.timedelta:
        return datetime.timedelta(weeks=self.ecart_max_semaines)

    def evenements(self) -> list[tuple[datetime.date, str]]:
        """The collective events of the year, in order: (date, label)."""
        return [
            (self.journee_lancement, gettext("Journée de lancement")),
            (self.evenement_mi_parcours, gettext("Temps collectif de mi-parcours (à distance)")),
            (self.journee_bilan, gettext("Journée de bilan")),
        ]


class EtatEnvoi(models.TextChoices):
    """Where an outbox row stands (computed from its dates, see `EnvoiUnique.etat`)."""

    A_ENVOYER = "a_envoyer", _("À envoyer")
    EN_RETARD = "en_retard", _("En retard (nouvel essai prévu)")
    ENVOYE = "envoye", _("Envoyé")
    ECHOUE = "echoue", _("Échec définitif")


class EnvoiUnique(models.Model):
    """A row of the outbox: one e-mail, claimed with a lease, sent once, retried or given up (`mentorat.courriels`).

    Three tables share these columns and the one claim-and-send helper `courriels.reserver_et_envoyer`:
    `Courriel` (every one-off e-mail), `suivi.Rappel` and `evaluation.Envoi` (whose own unique constraints
    are the dedup keys of reminders and questionnaire deliveries). `tache_envoi` names the Celery task that
    sends one row by id; the periodic sweep (`courriels.balayer`) enqueues it for every due row.
    """

    tache_envoi = ""

    prochaine_tentative = models.DateTimeField(_("prochain essai"), default=timezone.now)
    reserve_le = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    envoye_le = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    echoue_le = models.DateTimeField(_("abandonné le"), null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(_("tentatives d'envoi"), default=0)
    premiere_erreur_le = models.DateTimeField(_("première erreur le"), null=True, blank=True)
    derniere_erreur = models.TextField(_("dernière erreur"), blank=True)
    # The same Message-ID on every attempt: a receiving server may drop a second copy of the row's e-mail.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def envoyables(cls) -> models.QuerySet:
        """The rows that may still be sent; narrowed by a table whose e-mail may become pointless."""
        return cls._default_manager.all()

    @property
    def etat(self) -> EtatEnvoi:
        if self.envoye_le:
            return EtatEnvoi.ENVOYE
        if self.echoue_le:
            return EtatEnvoi.ECHOUE
        return EtatEnvoi.EN_RETARD if self.tentatives else EtatEnvoi.A_ENVOYER


def index_des_envois_dus(nom: str) -> models.Index:
    """The sweep's index: the rows neither sent nor given up, by next attempt."""
    return models.Index(fields=["prochaine_tentative"], name=nom, condition=Q(envoye_le=None, echoue_le=None))


class Courriel(EnvoiUnique):
    """A one-off e-mail (acknowledgement, decision, pair introduction…), written in the transaction that causes it.

    `contexte` holds references to rows (`{"__objet__": "app.modele", "pk": 12}`) and plain values; the rows are
    read again when sending. It is emptied once the e-mail has left: a link it carried is kept no longer than
    needed. `cle` says which fact the e-mail tells, so that the same fact is never told twice.
    """

    tache_envoi = "mentorat.tasks.envoyer_courriel"

    cle = models.CharField(_("clé d'unicité"), max_length=200, unique=True)
    nom = models.CharField(_("modèle de courriel"), max_length=80)
    destinataires = models.JSONField(_("destinataires"), default=list)
    copie = models.JSONField(_("copie"), default=list, blank=True)
    contexte = models.JSONField(_("contexte"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        ordering = ["-cree_le"]
        indexes = [index_des_envois_dus("courriel_du")]

    def __str__(self):
        return f"{self.nom} — {', '.join(self.destinataires)}"


class ExecutionPeriodique(models.Model):
    """The last run of each periodic job (Celery beat's liveness, shown by /healthz/ and the dashboard)."""

    tache = models.CharField(_("tâche"), max_length=200, unique=True)
    derniere_le = models.DateTimeField(_("dernière exécution"))

    class Meta:
        verbose_name = _("exécution périodique")
        verbose_name_plural = _("exécutions périodiques")

    def __str__(self):
        return self.tache


class VersionDonnees(models.Model):
    """The version of one table's data (`fragments.version_des_donnees`): a new `numero` at the commit of every
    transaction that wrote the table. Written only by PostgreSQL's triggers (`mentorat.versions`), never by Django."""

    table = models.CharField(_("table"), max_length=63, primary_key=True)
    numero = models.BigIntegerField(_("numéro"))

    class Meta:
        verbose_name = _("version des données")
        verbose_name_plural = _("versions des données")

    def __str__(self):
        return f"{self.table} — {self.numero}"


class Action(models.TextChoices):
    """What the audit journal records (see `mentorat.journal`)."""

    # Sign-in and second factor of committee accounts.
    CONNEXION = "connexion", _("Connexion")
    CONNEXION_ECHOUEE = "connexion_echouee", _("Échec de connexion")
    CONNEXION_BLOQUEE = "connexion_bloquee", _("Connexion bloquée après des échecs répétés")
    SECOND_FACTEUR_ACTIVE = "second_facteur_active", _("Double authentification activée")
    SECOND_FACTEUR_REFUSE = "second_facteur_refuse", _("Code de double authentification refusé")
    CODE_DE_SECOURS_UTILISE = "code_de_secours_utilise", _("Code de secours utilisé")
    CODES_DE_SECOURS_RENOUVELES = "codes_de_secours_renouveles", _("Codes de secours renouvelés")
    # Accounts and permissions.
    MOT_DE_PASSE_CHANGE = "mot_de_passe_change", _("Mot de passe changé")
    COMPTE_CREE = "compte_cree", _("Compte du comité créé")
    ROLE_CHANGE = "role_change", _("Rôle au comité changé")
    COMPTE_DESACTIVE = "compte_desactive", _("Compte désactivé")
    COMPTE_REACTIVE = "compte_reactive", _("Compte réactivé")
    SECOND_FACTEUR_REINITIALISE = "second_facteur_reinitialise", _("Double authentification réinitialisée")
    # Applications.
    CANDIDATURE_CONSULTEE = "candidature_consultee", _("Candidature consultée")
    CANDIDATURE_DECISION = "candidature_decision", _("Décision sur une candidature")
    LISTE_ATTENTE_MODIFIEE = "liste_attente_modifiee", _("Liste d'attente réordonnée")
    PLACE_PROPOSEE = "place_proposee", _("Place libérée proposée au comité")
    ORIENTATION_SUIVIE = "orientation_suivie", _("Suite d'une orientation enregistrée")
    # Matching and pairs.
    APPARIEMENT_CALCULE = "appariement_calcule", _("Proposition d'appariement calculée")
    APPARIEMENT_MODIFIE = "appariement_modifie", _("Proposition d'appariement modifiée")
    EXCLUSION = "exclusion", _("Binôme exclu")
    BINOME_VALIDE = "binome_valide", _("Binôme validé")
    BINOME_MODIFIE = "binome_modifie", _("Binôme modifié")
    BINOME_ARRETE = "binome_arrete", _("Arrêt de binôme enregistré")
    RENCONTRE_CORRIGEE = "rencontre_corrigee", _("Rencontre corrigée par un ingénieur")
    CAMPAGNE_OUVERTE = "campagne_ouverte", _("Campagne de questionnaires ouverte")
    # Personal data: retention and erasure (rgpd).
    CONSERVATION_APPROUVEE = "conservation_approuvee", _("Anonymisation approuvée (fin de la durée de conservation)")
    CONSERVATION_AUTOMATIQUE = (
        "conservation_automatique",
        _("Anonymisation automatique (fin de la durée de conservation)"),
    )
    EFFACEMENT_ACCEPTE = "effacement_accepte", _("Demande d'effacement acceptée")
    EFFACEMENT_REFUSE = "effacement_refuse", _("Demande d'effacement refusée")
    # The outbox.
    COURRIEL_RENVOYE = "courriel_renvoye", _("Courriel renvoyé après un échec")
    # Everything else written through the admin's own forms (promotions, themes, questions…).
    ADMINISTRATION = "administration", _("Modification dans l'administration")
    # Downloads of tables and documents.
    EXPORT = "export", _("Export d'un tableau ou d'un document")


class EntreeJournalQuerySet(models.QuerySet):
    """Entries are added, never changed nor deleted by the application (see `journal.purger` for retention)."""

    def update(self, **kwargs):
        raise JournalEnAjoutSeul(gettext("Le journal d'audit ne se modifie pas."))

    def delete(self):
        raise JournalEnAjoutSeul(gettext("Le journal d'audit ne se supprime pas."))


class JournalEnAjoutSeul(Exception):
    """Raised on any attempt to change or delete an audit journal entry."""


class EntreeJournal(models.Model):
    """One line of the audit journal: who did what, on what, when. Written by `mentorat.journal.consigner` only.

    `par_libelle` and `objet_libelle` keep what the person and the object were called at that moment, so that an
    entry stays readable after either is renamed or deleted. Never about `Reponse`, `Valeur` or `Invitation`:
    a dated trace next to an answer would undo the questionnaires' anonymity.
    """

    le = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    par = models.ForeignKey(
        "Utilisateur", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    par_libelle = models.CharField(_("personne"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    objet_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("type d'objet")
    )
    objet_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    objet_libelle = models.CharField(_("objet"), max_length=300, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    adresse_ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    objects = EntreeJournalQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-le", "-pk"]
        indexes = [models.Index(fields=["par", "-le"], name="journal_par_le")]

    def __str__(self):
        return f"{self.par_libelle} — {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise JournalEnAjoutSeul(gettext("Le journal d'audit ne se modifie pas."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise JournalEnAjoutSeul(gettext("Le journal d'audit ne se supprime pas."))
