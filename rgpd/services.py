"""Retention and erasure: the daily listing, the pilot's approval, erasure requests and their answers."""

import datetime

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from binomes.models import Binome, StatutBinome
from candidatures.models import Candidature
from mentorat import journal
from mentorat.emails import apres_commit
from mentorat.models import EntreeJournal, Utilisateur

from . import conservation, tasks
from .anonymisation import anonymiser_candidatures, anonymiser_personne
from .models import DemandeEffacement, EtatExpiration, Expiration, Nature, StatutDemande


class EffacementImpossible(Exception):
    """The request cannot be handled as asked (already handled, a pair still under way); the message says why."""


def _en_binome() -> Q:
    return Q(Exists(Binome.objects.filter(mentor=OuterRef("pk")))) | Q(
        Exists(Binome.objects.filter(mentore=OuterRef("pk")))
    )


def lister_expirations(*, maintenant: datetime.datetime | None = None) -> int:
    """Daily, idempotent: list what has reached its retention limit and is not listed yet; returns how many new.

    Applications without a pair whose promotion closed N years ago; pair members' applications whose promotion's
    bilan day is N years past; the journal's entries older than N days (one listing awaiting approval at a time).
    Persons already anonymised are left out. With `PURGE_AUTOMATIQUE`, each listing is approved at once. Then
    whatever is approved is anonymised (`anonymiser_approuvees`).
    Sign-in failures (django-axes) older than the journal's period are deleted.
    """
    maintenant = maintenant or timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    a_lister = Candidature.objects.filter(expiration=None, utilisateur__anonymise_le=None)
    sans_binome = (
        a_lister.exclude(_en_binome())
        .filter(promotion__cloture_candidatures__date__lte=conservation.cloture_expiree_avant(aujourd_hui))
        .values_list("pk", "promotion__cloture_candidatures")
    )
    en_binome = (
        a_lister.filter(_en_binome())
        .filter(promotion__journee_bilan__lte=conservation.bilan_expire_avant(aujourd_hui))
        .values_list("pk", "promotion__journee_bilan")
    )
    nouvelles = [
        Expiration(
            nature=Nature.CANDIDATURE,
            candidature_id=pk,
            echeance=conservation.echeance_candidature(timezone.localdate(cloture)),
        )
        for pk, cloture in sans_binome
    ] + [
        Expiration(nature=Nature.PARTICIPATION, candidature_id=pk, echeance=conservation.echeance_participation(bilan))
        for pk, bilan in en_binome
    ]
    limite = conservation.limite_du_journal(maintenant)
    if (
        not Expiration.objects.en_cours().filter(nature=Nature.JOURNAL).exists()
        and EntreeJournal.objects.filter(le__lt=limite).exists()
    ):
        nombre = EntreeJournal.objects.filter(le__lt=limite).count()
        nouvelles.append(
            Expiration(nature=Nature.JOURNAL, limite=limite, nombre=nombre, echeance=timezone.localdate(limite))
        )
    # Sign-in failures are security records, not archives: deleted at the same age, without approval.
    for modele in (AccessAttempt, AccessFailureLog):
        modele.objects.filter(attempt_time__lt=limite).delete()
    # Two runs at once (a restarted beat): the unique constraints keep one row each, the other is ignored.
    creees = Expiration.objects.bulk_create(nouvelles, ignore_conflicts=True)
    if settings.PURGE_AUTOMATIQUE:
        Expiration.objects.a_approuver().update(etat=EtatExpiration.APPROUVEE, approuvee_le=maintenant)
    # This job runs in a worker: what is approved (now, or by the pilot and not yet done) is carried out here too.
    anonymiser_approuvees()
    return len(creees)


def approuver(expirations: QuerySet[Expiration], *, par: Utilisateur) -> int:
    """The pilot approves: one UPDATE, whatever the number; the anonymisation itself runs in a Celery task after
    commit (`tasks.anonymiser_approuvees`), so that approving thousands never holds a request. Returns how many."""
    nombre = expirations.filter(etat=EtatExpiration.A_APPROUVER).update(
        etat=EtatExpiration.APPROUVEE, approuvee_par=par, approuvee_le=timezone.now()
    )
    if nombre:
        apres_commit(tasks.anonymiser_approuvees)
    return nombre


def anonymiser_approuvees() -> int:
    """Anonymise every approved expiration, one transaction each (`anonymiser_expiration`); returns how many."""
    return sum(anonymiser_expiration(pk) for pk in Expiration.objects.approuvees().values_list("pk", flat=True))


def anonymiser_expiration(expiration_id: int) -> bool:
    """Anonymise what an approved expiration lists, once (atomic claim); True when done now, False otherwise.

    An application is blanked; once none of its author's applications is left to keep, the person is anonymised
    (`anonymisation.anonymiser_personne`). The journal's old entries are deleted (`journal.purger`), and the
    admin's history (LogEntry) of the same age. Journaled, as approved by `approuvee_par` (None: automatic
    purge), without the person's name.
    """
    with transaction.atomic():
        prise = Expiration.objects.filter(pk=expiration_id, etat=EtatExpiration.APPROUVEE).update(
            etat=EtatExpiration.ANONYMISEE, anonymisee_le=timezone.now()
        )
        if prise != 1:
            return False
        expiration = Expiration.objects.select_related("approuvee_par").get(pk=expiration_id)
        details: dict[str, object] = {"nature": str(Nature(expiration.nature).label)}
        if expiration.nature == Nature.JOURNAL:
            assert expiration.limite is not None  # the model's check constraint
            details["entrees_supprimees"] = journal.purger(avant=expiration.limite)
            # The admin's own per-object history follows the same period.
            details["historique_supprime"] = LogEntry.objects.filter(action_time__lt=expiration.limite).delete()[0]
        else:
            candidature = Candidature.objects.select_related("utilisateur").get(pk=expiration.candidature_id)
            anonymiser_candidatures(Candidature.objects.filter(pk=candidature.pk))
            details["promotion"] = str(candidature.promotion_id)
            _anonymiser_si_plus_rien_a_garder(candidature.utilisateur)
        par = expiration.approuvee_par
        action = journal.Action.CONSERVATION_APPROUVEE if par else journal.Action.CONSERVATION_AUTOMATIQUE
        journal.consigner(action, par=par, objet=expiration, details=details)
    return True


def _anonymiser_si_plus_rien_a_garder(utilisateur: Utilisateur) -> None:
    """The account goes once every application of its owner has reached its limit (a committee account stays)."""
    from mentorat.rules import compte_du_comite

    a_garder = utilisateur.candidatures.exclude(expiration__etat=EtatExpiration.ANONYMISEE)
    if not a_garder.exists() and not compte_du_comite(utilisateur):
        anonymiser_personne(utilisateur)


def demander_effacement(*, utilisateur: Utilisateur, message: str = "") -> DemandeEffacement:
    """Record `utilisateur`'s erasure request (one awaiting at a time: a second one returns the first) and tell
    the engineers."""
    with transaction.atomic():
        demande, creee = DemandeEffacement.objects.get_or_create(
            utilisateur=utilisateur, statut=StatutDemande.EN_ATTENTE, defaults={"message": message}
        )
        if creee:
            apres_commit(tasks.prevenir_ingenieurs, demande.pk)
    return demande


def binomes_en_cours(utilisateur: Utilisateur):
    """The person's pairs that are not closed: erasing them now would leave the other member alone mid-year."""
    return Binome.objects.de_l_utilisateur(utilisateur).exclude(statut__in=StatutBinome.clos())


def verifier_effacement_possible(demande: DemandeEffacement) -> None:
    """Raises `EffacementImpossible` with the reason, in French, when the request cannot be accepted now."""
    if demande.statut != StatutDemande.EN_ATTENTE:
        raise EffacementImpossible(gettext("Cette demande a déjà été traitée."))
    if binomes_en_cours(demande.utilisateur).exists():
        raise EffacementImpossible(
            gettext(
                "Cette personne est membre d'un binôme en cours : enregistrez d'abord l'arrêt du binôme, "
                "puis acceptez la demande."
            )
        )


def accepter_demande(*, demande: DemandeEffacement, par: Utilisateur) -> None:
    """Accept: the person is anonymised now (`anonymisation.anonymiser_personne`), their pending retention listings
    are marked done, the decision is journaled and the person told at their (former) address."""
    verifier_effacement_possible(demande)
    utilisateur = demande.utilisateur
    adresse = utilisateur.email
    with transaction.atomic():
        _marquer_traitee(demande, StatutDemande.ACCEPTEE, par)
        anonymiser_personne(utilisateur)
        Expiration.objects.en_cours().filter(candidature__utilisateur=utilisateur).update(
            etat=EtatExpiration.ANONYMISEE, anonymisee_le=timezone.now()
        )
        journal.consigner(journal.Action.EFFACEMENT_ACCEPTE, par=par, objet=demande)
        # The address is gone from the database once this commits: the task receives it as an argument.
        apres_commit(tasks.annoncer_effacement, adresse)


def refuser_demande(*, demande: DemandeEffacement, par: Utilisateur, motif: str) -> None:
    """Refuse with `motif` (e.g. a legal obligation to keep): journaled, the person told why and how to complain."""
    if demande.statut != StatutDemande.EN_ATTENTE:
        raise EffacementImpossible(gettext("Cette demande a déjà été traitée."))
    with transaction.atomic():
        _marquer_traitee(demande, StatutDemande.REFUSEE, par, motif_refus=motif)
        journal.consigner(journal.Action.EFFACEMENT_REFUSE, par=par, objet=demande, details={"motif": motif})
        apres_commit(tasks.annoncer_refus, demande.pk)


def _marquer_traitee(demande: DemandeEffacement, statut: StatutDemande, par: Utilisateur, **champs) -> None:
    prise = DemandeEffacement.objects.filter(pk=demande.pk, statut=StatutDemande.EN_ATTENTE).update(
        statut=statut, traitee_par=par, traitee_le=timezone.now(), **champs
    )
    if prise != 1:
        raise EffacementImpossible(gettext("Cette demande a déjà été traitée."))
    demande.refresh_from_db()
