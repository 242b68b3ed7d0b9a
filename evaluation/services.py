"""Writes of the evaluation: invitations and their e-mails, answers, publication."""

import datetime
import random
import uuid
from collections.abc import Mapping

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome, StatutBinome
from mentorat import courriels, emails
from mentorat.models import Utilisateur

from .echeances import envois_dus
from .models import (
    Campagne,
    Envoi,
    EtatSynthese,
    Invitation,
    Question,
    Reponse,
    ReponseEnAttente,
    TypeCampagne,
    TypeEnvoi,
    TypeQuestion,
    Valeur,
)

SEL_JETON = "evaluation.questionnaire"
CHAMPS_VALEUR = ("question_id", "note", "oui", "texte")
# A participant invited late (a pair stopped late in the year, for the end-of-pair
# questionnaire) would otherwise get the invitation and both reminders the same day.
ECART_MIN_RELANCES = datetime.timedelta(days=5)
# Each stopped pair has at least this long to answer the end-of-pair questionnaire, whenever it stops.
DUREE_FIN_DE_BINOME = datetime.timedelta(weeks=4)
PRECEDENT = {TypeEnvoi.RELANCE_1: TypeEnvoi.INVITATION, TypeEnvoi.RELANCE_2: TypeEnvoi.RELANCE_1}

# Mid-course and end questionnaires go to pairs that met; a stopped pair answers
# the end-of-pair questionnaire instead (and only that one).
STATUTS_INVITES = {
    TypeCampagne.MI_PARCOURS: [StatutBinome.CONFIRME, StatutBinome.ACTIF, StatutBinome.TERMINE],
    TypeCampagne.FIN: [StatutBinome.CONFIRME, StatutBinome.ACTIF, StatutBinome.TERMINE],
    TypeCampagne.FIN_DE_BINOME: [StatutBinome.ARRETE],
}


class QuestionnaireIndisponible(Exception):
    """The link cannot be used: `motif` is one of the class constants."""

    INVALIDE, DEJA_REPONDU, FERMEE, PAS_ENCORE = "invalide", "deja_repondu", "fermee", "pas_encore"

    def __init__(self, motif: str):
        super().__init__(motif)
        self.motif = motif


class DejaPubliee(Exception):
    pass


def jeton(invitation: Invitation) -> str:
    """The signed credential of the personal link (after `django.core.signing`)."""
    return signing.dumps(invitation.pk, salt=SEL_JETON)


def lien_questionnaire(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("evaluation:questionnaire", args=[jeton(invitation)])


def invitation_du_jeton(valeur: str, *, maintenant: datetime.datetime | None = None) -> Invitation:
    """The invitation a link still lets answer, or `QuestionnaireIndisponible` saying why."""
    try:
        pk = signing.loads(valeur, salt=SEL_JETON)
        invitation = Invitation.objects.select_related("campagne__promotion").get(pk=pk)
    except (signing.BadSignature, Invitation.DoesNotExist):
        raise QuestionnaireIndisponible(QuestionnaireIndisponible.INVALIDE) from None
    _verifier(invitation, maintenant or timezone.now())
    return invitation


def _verifier(invitation: Invitation, maintenant: datetime.datetime) -> None:
    if invitation.a_repondu:
        raise QuestionnaireIndisponible(QuestionnaireIndisponible.DEJA_REPONDU)
    if invitation.campagne.est_close(maintenant):
        raise QuestionnaireIndisponible(QuestionnaireIndisponible.FERMEE)
    if not invitation.campagne.est_ouverte(maintenant):
        raise QuestionnaireIndisponible(QuestionnaireIndisponible.PAS_ENCORE)


def a_repondu(invitation: Invitation) -> bool:
    """Whether the participant of `invitation` has answered: the only fact about an answer tied to a person
    (a yes/no on the invitation, without date). For the participant's own pages; the answer itself is anonymous."""
    return invitation.a_repondu


def repondre(*, invitation_id: int, valeurs: Mapping[Question, object]) -> None:
    """Mark the invitation answered, then put the anonymous answer in the campaign's pool, in two transactions.

    Side effects: `Invitation.a_repondu` becomes True (no time kept), committed first; then one
    `ReponseEnAttente` (random id, the invitation's role and corps, the values), committed apart so that the
    two rows never share a transaction id; then `verser_reserve` moves the pool into `Reponse` if it is large
    enough. Raises `QuestionnaireIndisponible` (nothing stored) on a second answer or outside the campaign.
    If the pool cannot be written, the mark is undone and the error raised: the participant may answer again.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("campagne").get(pk=invitation_id)
        _verifier(invitation, timezone.now())
        Invitation.objects.filter(pk=invitation.pk).update(a_repondu=True)
    try:
        with transaction.atomic():
            ReponseEnAttente.objects.create(
                campagne_id=invitation.campagne_id,
                role=invitation.role,
                corps=invitation.corps,
                valeurs=[_valeur_json(question, v) for question, v in valeurs.items()],
            )
    except Exception:
        Invitation.objects.filter(pk=invitation.pk).update(a_repondu=False)
        raise
    verser_reserve(campagne_id=invitation.campagne_id)


def verser_reserve(*, campagne_id: int) -> int:
    """Move the campaign's pool into `Reponse` in random order, if it holds at least the display threshold
    (`EVALUATION_SEUIL_GROUPE`) or the campaign is closed; returns the number of responses moved.

    One transaction writes the whole batch (every row carries the same xmin), in shuffled order (their ctid
    follow no answer's order), under new random ids, and deletes the pool's rows: after it, no system column
    links a response to the invitation marked answered, except that it is one of the batch. Serialised on the
    campaign's row, so that two batches never share a pool row.
    """
    with transaction.atomic():
        campagne = Campagne.objects.select_for_update().filter(pk=campagne_id).first()
        if campagne is None:
            return 0
        attente = list(
            ReponseEnAttente.objects.filter(campagne_id=campagne_id).values("pk", "role", "corps", "valeurs")
        )
        if not attente or (len(attente) < settings.EVALUATION_SEUIL_GROUPE and not campagne.est_close()):
            return 0
        random.SystemRandom().shuffle(attente)
        nouvelles = [
            Reponse(id=uuid.uuid4(), campagne_id=campagne_id, role=a["role"], corps=a["corps"]) for a in attente
        ]
        Reponse.objects.bulk_create(nouvelles, batch_size=500)
        Valeur.objects.bulk_create(
            [Valeur(reponse=n, **v) for n, a in zip(nouvelles, attente, strict=True) for v in a["valeurs"]],
            batch_size=500,
        )
        ReponseEnAttente.objects.filter(pk__in=[a["pk"] for a in attente]).delete()
    return len(attente)


def brasser_reponses(*, campagne_id: int) -> bool:
    """Rewrite the responses of a closed campaign in random order, under new random ids; True if done now.

    Random ids hide the order of the answers from queries, not from storage: rows sit in
    the order they were written (PostgreSQL's physical order and transaction ids, SQLite's
    rowid), which a dump or a raw query would show and which could be matched with who
    answered when. Once the campaign is closed, nothing is added any more: what is left in the
    pool is moved first, then every response and value is deleted and written again, shuffled,
    in one transaction. Done once (`Campagne.reponses_brassees`, claimed atomically).
    """
    with transaction.atomic():
        pris = Campagne.objects.filter(pk=campagne_id, reponses_brassees=False, fermeture__lte=timezone.now()).update(
            reponses_brassees=True
        )
        if pris != 1:
            return False
        verser_reserve(campagne_id=campagne_id)
        reponses = list(Reponse.objects.filter(campagne_id=campagne_id).values("pk", "role", "corps"))
        valeurs: dict[uuid.UUID, list[dict]] = {}
        for reponse_id, *champs in Valeur.objects.filter(reponse__campagne_id=campagne_id).values_list(
            "reponse_id", "question_id", "note", "oui", "texte"
        ):
            valeurs.setdefault(reponse_id, []).append(dict(zip(CHAMPS_VALEUR, champs, strict=True)))
        random.SystemRandom().shuffle(reponses)
        Valeur.objects.filter(reponse__campagne_id=campagne_id).delete()
        Reponse.objects.filter(campagne_id=campagne_id).delete()
        nouvelles = [
            Reponse(id=uuid.uuid4(), campagne_id=campagne_id, role=r["role"], corps=r["corps"]) for r in reponses
        ]
        Reponse.objects.bulk_create(nouvelles, batch_size=500)
        Valeur.objects.bulk_create(
            [
                Valeur(reponse=n, **v)
                for n, r in zip(nouvelles, reponses, strict=True)
                for v in valeurs.get(r["pk"], [])
            ],
            batch_size=500,
        )
    return True


def clore_si_besoin(campagne: Campagne) -> None:
    """Before a closed campaign's figures are read: its pool moved and its responses shuffled, if the daily task
    has not done it yet (no query once done)."""
    if not campagne.reponses_brassees and campagne.est_close() and brasser_reponses(campagne_id=campagne.pk):
        campagne.reponses_brassees = True


def _valeur_json(question: Question, valeur) -> dict:
    """One value as the pool keeps it: the fields of `Valeur`."""
    note = valeur if question.type == TypeQuestion.ECHELLE else None
    oui = valeur if question.type == TypeQuestion.OUI_NON else None
    texte = (valeur or "") if question.type == TypeQuestion.TEXTE else ""
    return {"question_id": question.pk, "note": note, "oui": oui, "texte": texte}


def creer_invitations(*, campagne: Campagne) -> int:
    """Invite every participant of the campaign's pairs not yet invited (set-based); returns the number created."""
    binomes = Binome.objects.filter(
        promotion_id=campagne.promotion_id, statut__in=STATUTS_INVITES[TypeCampagne(campagne.type)]
    )
    champs = ("utilisateur_id", "role", "corps")
    participants = set()
    for cote in ("mentor", "mentore"):
        participants |= set(binomes.values_list(*(f"{cote}__{c}" for c in champs)))
    deja = set(campagne.invitations.values_list("utilisateur_id", flat=True))
    nouvelles = [
        Invitation(campagne=campagne, utilisateur_id=u, role=r, corps=c) for u, r, c in participants if u not in deja
    ]
    return len(Invitation.objects.bulk_create(nouvelles, ignore_conflicts=True))


def creer_envois_dus(*, campagne: Campagne, maintenant: datetime.datetime) -> None:
    """Record the e-mails due now (invitation, reminders for those who have not answered), set-based.

    A reminder also waits until the previous e-mail to the same person was sent at
    least `ECART_MIN_RELANCES` ago."""
    for type_envoi in envois_dus(campagne.ouverture, campagne.fermeture, maintenant):
        invitations = campagne.invitations.exclude(envois__type=type_envoi)
        if type_envoi != TypeEnvoi.INVITATION:
            invitations = invitations.filter(
                a_repondu=False,
                envois__type=PRECEDENT[type_envoi],
                envois__envoye_le__lte=maintenant - ECART_MIN_RELANCES,
            )
        Envoi.objects.bulk_create(
            [Envoi(invitation_id=pk, type=type_envoi) for pk in invitations.values_list("pk", flat=True)],
            ignore_conflicts=True,
        )


def envois_a_faire(*, campagne_ids: list[int]) -> list[int]:
    """Ids of the e-mails not sent yet (reminders of those who answered are dropped)."""
    return list(
        Envoi.objects.filter(invitation__campagne_id__in=campagne_ids, envoye_le=None)
        .exclude(~Q(type=TypeEnvoi.INVITATION) & Q(invitation__a_repondu=True))
        .values_list("pk", flat=True)
    )


def preparer_envois(*, maintenant: datetime.datetime | None = None) -> list[int]:
    """For every open campaign: invite the missing participants and record the e-mails due.

    Also shuffles the responses of the campaigns closed since the last run."""
    maintenant = maintenant or timezone.now()
    for pk in Campagne.objects.filter(fermeture__lte=maintenant, reponses_brassees=False).values_list("pk", flat=True):
        brasser_reponses(campagne_id=pk)
    campagnes = list(Campagne.objects.ouvertes(maintenant))
    with transaction.atomic():
        for campagne in campagnes:
            creer_invitations(campagne=campagne)
            creer_envois_dus(campagne=campagne, maintenant=maintenant)
    return envois_a_faire(campagne_ids=[c.pk for c in campagnes])


def envoyer_apres_commit(ids: list[int]) -> None:
    for pk in ids:
        courriels.apres_commit(Envoi.tache_envoi, pk)


def envoyer(*, envoi_id: int) -> bool:
    """Send one invitation or reminder unless sent, held by another worker or answered; True when sent now.

    Side effects: those of `courriels.reserver_et_envoyer` (claim, send with the personal link,
    `envoye_le`; on an SMTP error the claim is released, `derniere_erreur` recorded, the error raised).
    """

    def envoyer() -> None:
        envoi = Envoi.objects.select_related("invitation__utilisateur", "invitation__campagne__promotion").get(
            pk=envoi_id
        )
        invitation = envoi.invitation
        contexte = {
            "envoi": envoi,
            "relance": envoi.type != TypeEnvoi.INVITATION,
            "campagne": invitation.campagne,
            "utilisateur": invitation.utilisateur,
            "lien": lien_questionnaire(invitation),
        }
        emails.envoyer("evaluation-invitation", [invitation.utilisateur.email], contexte)

    return courriels.reserver_et_envoyer(Envoi.envoyables(), envoi_id, envoyer)


def ouvrir_campagne(*, campagne: Campagne) -> list[int]:
    """Open `campagne` now (if its opening date is later) and send the invitations after commit.

    Side effects: `ouverture` moved to now when in the future; invitations and
    invitation e-mails created; one Celery task per e-mail enqueued after commit.
    """
    maintenant = timezone.now()
    with transaction.atomic():
        if campagne.ouverture > maintenant:
            campagne.ouverture = maintenant
            campagne.save(update_fields=["ouverture"])
        creer_invitations(campagne=campagne)
        creer_envois_dus(campagne=campagne, maintenant=maintenant)
        ids = envois_a_faire(campagne_ids=[campagne.pk])
        envoyer_apres_commit(ids)
    return ids


def inviter_fin_de_binome(*, binome_id: int, maintenant: datetime.datetime | None = None) -> list[int]:
    """Invite the members of a stopped pair to the end-of-pair questionnaire now, whenever the stop happens.

    The promotion has one end-of-pair campaign, which pools the answers of every stopped pair (the synthesis's
    anonymity thresholds apply to it as to any campaign). It is created at the first stop, opened now if its
    opening was later, and kept open at least `DUREE_FIN_DE_BINOME` from now: a pair stopped after its
    closing date reopens it (its answers will be shuffled again at the new closing). Side effects: the
    invitations and their e-mails, sent after commit. Returns the ids of the e-mails enqueued.
    """
    maintenant = maintenant or timezone.now()
    binome = Binome.objects.only("promotion_id", "statut").get(pk=binome_id)
    if binome.statut != StatutBinome.ARRETE:
        return []
    jusqu_au = maintenant + DUREE_FIN_DE_BINOME
    with transaction.atomic():
        campagne, _cree = Campagne.objects.select_for_update().get_or_create(
            promotion_id=binome.promotion_id,
            type=TypeCampagne.FIN_DE_BINOME,
            defaults={"ouverture": maintenant, "fermeture": jusqu_au},
        )
        campagne.ouverture = min(campagne.ouverture, maintenant)
        if campagne.fermeture < jusqu_au:
            campagne.fermeture, campagne.reponses_brassees = jusqu_au, False
        campagne.save(update_fields=["ouverture", "fermeture", "reponses_brassees"])
        creer_invitations(campagne=campagne)
        creer_envois_dus(campagne=campagne, maintenant=maintenant)
        ids = envois_a_faire(campagne_ids=[campagne.pk])
        envoyer_apres_commit(ids)
    return ids


def rediger_synthese(*, campagne: Campagne, commentaire: str, extraits: list[str]) -> None:
    """Save the engineers' commentary and the selected (possibly reworded) excerpts."""
    with transaction.atomic():
        Campagne.objects.filter(pk=campagne.pk).update(commentaire=commentaire, extraits=extraits)
    campagne.commentaire, campagne.extraits = commentaire, extraits


def publier_synthese(*, campagne: Campagne, par: Utilisateur) -> list[int]:
    """Publish the synthesis: the only change of `Campagne.etat`.

    Side effects: the responses are shuffled (`brasser_reponses`) if not done yet;
    `etat` becomes PUBLIEE and `publiee_le` is set; participants and
    committee members then see it; one e-mail per recipient is put in the outbox.
    Raises `DejaPubliee` if it already was (nothing sent twice).
    """
    with transaction.atomic():
        brasser_reponses(campagne_id=campagne.pk)
        mis_a_jour = Campagne.objects.filter(pk=campagne.pk, etat=EtatSynthese.BROUILLON).update(
            etat=EtatSynthese.PUBLIEE, publiee_le=timezone.now()
        )
        if mis_a_jour != 1:
            raise DejaPubliee
        campagne.refresh_from_db()
        destinataires = list(
            Utilisateur.objects.filter(
                Q(invitations_evaluation__campagne=campagne) | Q(pk__in=Utilisateur.objects.comite().values("pk"))
            )
            .filter(is_active=True)
            .distinct()
        )
        lien = settings.SITE_URL + reverse("evaluation:synthese", args=[campagne.pk])
        for utilisateur in destinataires:
            courriels.mettre_en_file(
                "evaluation-publication",
                [utilisateur.email],
                {"campagne": campagne, "utilisateur": utilisateur, "lien": lien},
                cle=f"evaluation-publication:{campagne.pk}:{utilisateur.pk}",
            )
    return [utilisateur.pk for utilisateur in destinataires]
