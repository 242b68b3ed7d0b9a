"""Writes of the applications: submission, edition, status changes, e-mail confirmation, notifications.

Submission policy: an eligible application is recorded as "soumise"; the committee checks the career facts
the applicant declared and records "recevable" or "non recevable" before choosing whom to retain. An
application that breaks a rule is never recorded (hence no "eligible" column): the form shows the rule next
to the field, and the admin checks it again against the promotion's current rules.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat import courriels, journal
from mentorat.models import Promotion, Utilisateur

from . import eligibilite
from .departements import region_de
from .jetons import chemin_confirmation, confirmation_email
from .models import Candidature, Orientation, OrientationSuivie, Role, Statut, Theme


class CandidatureRefusee(Exception):
    """The submission or change cannot be recorded; `str(exc)` is the French message for the user."""


@dataclass(frozen=True)
class NouveauCompte:
    email: str
    prenom: str
    nom: str
    mot_de_passe: str


def dossier_de(role: str, donnees: dict) -> eligibilite.Dossier:
    """The eligibility facts of typed or stored data (a dict of Candidature fields)."""
    return eligibilite.Dossier(
        role=role,
        corps=donnees.get("corps") or "",
        date_premier_poste=donnees.get("date_premier_poste"),
        carriere_geree_cng=bool(donnees.get("carriere_geree_cng")),
        debut_fonctions_direction=donnees.get("debut_fonctions_direction"),
        postes_direction=donnees.get("postes_direction"),
        debut_exercice_encadrement=donnees.get("debut_exercice_encadrement"),
        debut_fonctions_ds=donnees.get("debut_fonctions_ds"),
    )


def _appliquer(candidature: Candidature, donnees: dict) -> None:
    for nom, valeur in donnees.items():
        setattr(candidature, nom, valeur)
    candidature.region = region_de(candidature.departement)
    verdict = eligibilite.verifier(
        dossier_de(candidature.role, donnees), eligibilite.Regles.de_la_promotion(candidature.promotion)
    )
    if not verdict.eligible:
        raise CandidatureRefusee(verdict.motifs[0].message)


def _verifier_ouverture(promotion: Promotion, le: datetime.datetime | None = None) -> None:
    if not promotion.candidatures_ouvertes(le):
        raise CandidatureRefusee(_("Les candidatures de cette promotion ne sont pas ouvertes."))


def soumettre_candidature(
    *,
    promotion: Promotion,
    role: Role,
    donnees: dict,
    themes: Iterable[Theme],
    utilisateur: Utilisateur | None = None,
    compte: NouveauCompte | None = None,
    le: datetime.datetime | None = None,
) -> Candidature:
    """Record an eligible application (status "soumise"), creating the applicant's account if `compte` is given.

    Side effects: creates the account (e-mail not yet confirmed) when there is none; stores the eligibility
    verdict and the region; after commit, sends the acknowledgement (with the confirmation link when the
    address is not confirmed). Raises `CandidatureRefusee` when the window is closed at `le` (default: now), a
    rule is broken, an account already uses the e-mail, or the person already applied to this promotion
    (database constraint).
    """
    _verifier_ouverture(promotion, le)
    try:
        with transaction.atomic():
            if utilisateur is None:
                if compte is None:
                    raise ValueError("soumettre_candidature needs the applicant's `utilisateur` or a `compte`.")
                utilisateur = _creer_compte(compte)
            candidature = Candidature(promotion=promotion, role=role, utilisateur=utilisateur)
            _appliquer(candidature, donnees)
            candidature.save()
            candidature.themes.set(themes)
            courriel_accuse_reception(candidature)
    except IntegrityError as erreur:
        raise CandidatureRefusee(_("Vous avez déjà déposé une candidature pour cette promotion.")) from erreur
    return candidature


def _creer_compte(compte: NouveauCompte) -> Utilisateur:
    if Utilisateur.objects.filter(email__iexact=compte.email).exists():
        raise CandidatureRefusee(_("Un compte existe déjà avec cette adresse : connectez-vous pour candidater."))
    return Utilisateur.objects.create_user(
        compte.email, compte.mot_de_passe, prenom=compte.prenom, nom=compte.nom, email_confirme=False
    )


def modifier_candidature(*, candidature: Candidature, donnees: dict, themes: Iterable[Theme]) -> Candidature:
    """Update an application before the deadline; the eligibility verdict is computed again.

    Side effects: none beyond the record (no e-mail); after a committee decision, the application is flagged
    `a_relire` for the committee. Raises `CandidatureRefusee` after the deadline, for a
    withdrawn application, or when the new answers break a rule.
    """
    with transaction.atomic():
        candidature = Candidature.objects.select_for_update().select_related("promotion").get(pk=candidature.pk)
        _verifier_ouverture(candidature.promotion)
        if candidature.statut == Statut.RETIREE:
            raise CandidatureRefusee(_("Cette candidature a été retirée."))
        _appliquer(candidature, donnees)
        # Edits stay open until the deadline, even after a decision (the applicant may correct a mistake): the
        # committee then sees the application flagged « à relire », its decision having been taken on other answers.
        if candidature.statut != Statut.SOUMISE:
            candidature.a_relire = True
        candidature.save()
        candidature.themes.set(themes)
    return candidature


def changer_statut(
    *,
    candidature: Candidature,
    statut: Statut,
    par: Utilisateur,
    orientation: Orientation = Orientation.AUCUNE,
    le: datetime.datetime | None = None,
) -> Candidature:
    """The only way to change an application's status (committee decisions and withdrawal by the applicant).

    Side effects: records `decide_par` and `decide_le` (`le`, default now); sets the orientation (kept only
    for "non retenue"); writes the decision to the audit journal (every decision, not only the last); after
    commit, e-mails the applicant about the new status (Celery task `notifier_statut`).
    The waiting list (mentees only, `places`): entering it gives the last rank and e-mails the rank
    ("candidature-liste-attente") instead of the status; leaving it closes the gap behind. A retained mentee who
    leaves « retenue » (withdrawal, not retained any more) frees their place: before the launch day, the next
    person on the waiting list is offered to the committee (`places.proposer_places_libres`).
    Raises `CandidatureRefusee` for a transition the workflow forbids (`Statut.suivants`), judged on the status
    read under the row's lock, and for a mentor put on the waiting list.
    """
    with transaction.atomic():
        if candidature.role == Role.MENTORE:
            # The promotion's row first, then the application's: ranks and places change one decision at a time.
            Promotion.objects.select_for_update().filter(pk=candidature.promotion_id).first()
        candidature = Candidature.objects.select_for_update().select_related("promotion").get(pk=candidature.pk)
        if statut not in Statut(candidature.statut).suivants:
            raise CandidatureRefusee(
                _("Une candidature « %(avant)s » ne peut pas passer au statut « %(apres)s ».")
                % {"avant": candidature.get_statut_display(), "apres": Statut(statut).label}
            )
        if statut == Statut.LISTE_ATTENTE and candidature.role != Role.MENTORE:
            raise CandidatureRefusee(_("Seules les candidatures de mentorés vont sur la liste d'attente."))
        avant = Statut(candidature.statut)
        if avant == Statut.LISTE_ATTENTE:
            _quitter_la_liste(candidature)
        if statut == Statut.LISTE_ATTENTE:
            candidature.rang_attente = _dernier_rang(candidature.promotion_id) + 1
        if statut == Statut.RETENUE:
            candidature.place_liberee_le = None
        candidature.statut = statut
        candidature.orientation = orientation if statut == Statut.NON_RETENUE else Orientation.AUCUNE
        candidature.decide_par = par
        candidature.decide_le = le or timezone.now()
        candidature.a_relire = False  # decided on the answers as they are now
        candidature.save(
            update_fields=[
                "statut",
                "orientation",
                "decide_par",
                "decide_le",
                "a_relire",
                "rang_attente",
                "place_proposee_le",
                "place_liberee_le",
                "modifie_le",
            ]
        )
        details: dict[str, str | int] = {"avant": str(avant.label), "apres": str(Statut(statut).label)}
        if candidature.orientation != Orientation.AUCUNE:
            details["orientation"] = str(Orientation(candidature.orientation).label)
        if candidature.rang_attente:
            details["rang"] = candidature.rang_attente
        journal.consigner(journal.Action.CANDIDATURE_DECISION, par=par, objet=candidature, details=details)
        courriel_statut(candidature, avant=avant)
        if avant == Statut.RETENUE and candidature.role == Role.MENTORE and candidature.place_liberee_le is None:
            from . import places  # places calls this function: imported here, where a place is freed

            places.proposer_places_libres(promotion=candidature.promotion, par=par)
    return candidature


def _dernier_rang(promotion_id: int) -> int:
    attente = Candidature.objects.filter(promotion_id=promotion_id, statut=Statut.LISTE_ATTENTE)
    return attente.aggregate(dernier=Max("rang_attente"))["dernier"] or 0


def _quitter_la_liste(candidature: Candidature) -> None:
    """Off the waiting list: those behind move up one rank (the promotion's row is locked by the caller)."""
    if candidature.rang_attente:
        rang = candidature.rang_attente
        derriere = Candidature.objects.filter(
            promotion_id=candidature.promotion_id, statut=Statut.LISTE_ATTENTE, rang_attente__gt=rang
        )
        derriere.update(rang_attente=F("rang_attente") - 1)
    candidature.rang_attente = None
    candidature.place_proposee_le = None


def retirer_candidature(*, candidature: Candidature, par: Utilisateur) -> Candidature:
    """The applicant withdraws (through `changer_statut`, which e-mails a confirmation and frees a retained place).

    Until the deadline; after it, a retained or waiting applicant may still stand down until the launch day.
    """
    candidature = Candidature.objects.select_related("promotion").get(pk=candidature.pk)
    if not candidature.peut_se_desister():
        _verifier_ouverture(candidature.promotion)
    return changer_statut(candidature=candidature, statut=Statut.RETIREE, par=par)


def confirmer_email(*, utilisateur: Utilisateur, jeton: str) -> bool:
    """Mark the address as confirmed if the signed token is valid; side effect: none else. Returns success."""
    if not confirmation_email.check_token(utilisateur, jeton):
        return False
    Utilisateur.objects.filter(pk=utilisateur.pk).update(email_confirme=True)
    return True


def renvoyer_confirmation_email(*, utilisateur: Utilisateur) -> bool:
    """Send a new confirmation link, the first having expired or gone astray; False if already confirmed.

    Side effect: after commit, the Celery task `envoyer_confirmation_email` e-mails the link.
    """
    if utilisateur.email_confirme:
        return False
    courriel_confirmation(utilisateur)
    return True


def courriel_confirmation(utilisateur: Utilisateur) -> None:
    """A fresh confirmation link, in the outbox: one per request (the form that asks is rate-limited)."""
    courriels.mettre_en_file(
        "candidature-confirmation",
        [utilisateur.email],
        {
            "utilisateur": utilisateur,
            "lien_confirmation": settings.SITE_URL + chemin_confirmation(utilisateur),
            "jours_validite": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
        cle=f"candidature-confirmation:{utilisateur.pk}:{uuid.uuid4().hex}",
    )


def courriel_accuse_reception(candidature: Candidature) -> None:
    """The summary of the application, with the confirmation link if the address is not confirmed."""
    utilisateur = candidature.utilisateur
    lien = None if utilisateur.email_confirme else settings.SITE_URL + chemin_confirmation(utilisateur)
    courriels.mettre_en_file(
        "candidature-accuse",
        [utilisateur.email],
        {"candidature": candidature, "lien_confirmation": lien},
        cle=f"candidature-accuse:{candidature.pk}",
    )


def courriel_statut(candidature: Candidature, *, avant: Statut | None = None) -> None:
    """The applicant's new status: one e-mail per decision (status and time of the decision).

    On the waiting list, the e-mail tells the rank; retained from the waiting list, it says a place was freed.
    """
    cle = f"{candidature.pk}:{candidature.statut}:{candidature.decide_le:%Y%m%d%H%M%S%f}"
    if candidature.statut == Statut.LISTE_ATTENTE:
        courriels.mettre_en_file(
            "candidature-liste-attente",
            [candidature.utilisateur.email],
            {"candidature": candidature, "rang": candidature.rang_attente},
            cle=f"candidature-liste-attente:{cle}",
        )
        return
    courriels.mettre_en_file(
        "candidature-statut",
        [candidature.utilisateur.email],
        {"candidature": candidature, "depuis_liste_attente": avant == Statut.LISTE_ATTENTE},
        cle=f"candidature-statut:{cle}",
    )


def marquer_relue(*, candidatures, par: Utilisateur) -> int:
    """The committee has read again the applications flagged `a_relire` among `candidatures` and keeps its decision.

    Side effects: the flag cleared; one journal entry per application. Returns the number cleared."""
    with transaction.atomic():
        relues = list(candidatures.filter(a_relire=True).select_for_update())
        Candidature.objects.filter(pk__in=[c.pk for c in relues]).update(a_relire=False)
        for candidature in relues:
            journal.consigner(
                journal.Action.ADMINISTRATION,
                par=par,
                objet=candidature,
                details={"relue": str(_("relue après une modification du candidat, décision maintenue"))},
            )
    return len(relues)


def noter_orientation_suivie(*, candidatures, suivie: OrientationSuivie, par: Utilisateur) -> int:
    """The engineers record whether the people not retained took up the coaching or workshop offered instead.

    Only applications « non retenue » with an orientation among `candidatures` change; one journal entry each.
    Returns the number recorded.
    """
    with transaction.atomic():
        concernees = list(
            candidatures.filter(statut=Statut.NON_RETENUE)
            .exclude(orientation=Orientation.AUCUNE)
            .exclude(orientation_suivie=suivie)
            .select_for_update()
        )
        Candidature.objects.filter(pk__in=[c.pk for c in concernees]).update(orientation_suivie=suivie)
        for candidature in concernees:
            journal.consigner(
                journal.Action.ORIENTATION_SUIVIE,
                par=par,
                objet=candidature,
                details={
                    "orientation": str(Orientation(candidature.orientation).label),
                    "avant": str(OrientationSuivie(candidature.orientation_suivie).label),
                    "apres": str(OrientationSuivie(suivie).label),
                },
            )
    return len(concernees)
