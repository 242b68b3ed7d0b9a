"""The collective times of a promotion: who is invited, the invitations, the answers and the attendance.

The invitation's .ics attachment is built when the e-mail leaves (`calendrier.ics_invitation`, registered with
`mentorat.emails.pieces_jointes`): a time moved after the invitation was queued is sent as it now stands.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from binomes.models import Binome, StatutBinome
from mentorat import journal
from mentorat.courriels import mettre_en_file
from mentorat.models import Utilisateur

from .models import EvenementCollectif, Participation, ReponseInvitation

# Participants are invited this long before a collective time (the daily job); the committee may invite earlier
# from the admin or the engineers' page.
DELAI_INVITATION = datetime.timedelta(days=45)


class ReponseTardive(Exception):
    """The collective time has begun: the answer would tell nothing to the organisers any more."""


def participants(evenement: EvenementCollectif) -> QuerySet[Utilisateur]:
    """The members of the promotion's pairs, but those of a stopped pair: every pair comes to the launch day
    (it confirms there), and a pair that stopped early comes to nothing more."""
    binomes = Binome.objects.filter(promotion_id=evenement.promotion_id).exclude(statut=StatutBinome.ARRETE)
    return Utilisateur.objects.filter(
        Q(candidatures__binomes_comme_mentor__in=binomes) | Q(candidatures__binomes_comme_mentore__in=binomes),
        is_active=True,
    ).distinct()


def inviter(*, evenement: EvenementCollectif, par: Utilisateur | None = None) -> int:
    """Invite every participant not invited yet: a `Participation` and one e-mail each, with the .ics attached.

    Idempotent: the e-mail's key names the time and the person, so a second run (or a participant already
    invited) queues nothing more; a time that has begun invites no one. Returns the number of e-mails queued now.
    `par`: the committee member who sent them, journaled with their number (None for the daily job)."""
    if evenement.debut <= timezone.now():
        return 0
    with transaction.atomic():
        EvenementCollectif.objects.select_for_update().filter(pk=evenement.pk).get()  # one run at a time
        deja = set(Participation.objects.filter(evenement=evenement).values_list("utilisateur_id", flat=True))
        nouveaux = [u for u in participants(evenement).order_by("pk") if u.pk not in deja]
        creees = Participation.objects.bulk_create(Participation(evenement=evenement, utilisateur=u) for u in nouveaux)
        for utilisateur in nouveaux:
            mettre_en_file(
                "evenement-invitation",
                [utilisateur.email],
                {"evenement": evenement, "participant": utilisateur},
                cle=f"evenement-invitation:{evenement.pk}:{utilisateur.pk}",
            )
        EvenementCollectif.objects.filter(pk=evenement.pk).update(invitations_envoyees_le=timezone.now())
        if par is not None:
            journal.consigner(
                journal.Action.ADMINISTRATION,
                par=par,
                objet=evenement,
                details={"operation": "invitations", "invitations": len(creees)},
            )
    return len(creees)


def inviter_aux_prochains(*, maintenant: datetime.datetime) -> int:
    """Invite to every collective time that begins within `DELAI_INVITATION`: its participants not invited yet,
    members of a pair formed since included. Returns the e-mails queued."""
    prochains = EvenementCollectif.objects.filter(debut__gt=maintenant, debut__lte=maintenant + DELAI_INVITATION)
    return sum(inviter(evenement=e) for e in prochains.order_by("debut"))


def repondre(*, participation: Participation, reponse: ReponseInvitation, maintenant=None) -> Participation:
    """Record a participant's answer (present or absent); they may change it until the time begins."""
    maintenant = maintenant or timezone.now()
    if maintenant >= participation.evenement.debut:
        raise ReponseTardive(_("Ce temps collectif a commencé : votre réponse ne peut plus être modifiée."))
    participation.reponse = reponse
    participation.repondu_le = maintenant
    participation.save(update_fields=["reponse", "repondu_le"])
    return participation


def noter_presences(*, evenement: EvenementCollectif, presences: dict[int, bool | None], par) -> int:
    """Record who came (True), who did not (False), or nothing yet (None), by participation id; journaled once
    with the counts. Returns how many participations changed."""
    maintenant = timezone.now()
    changees = 0
    with transaction.atomic():
        for participation in Participation.objects.filter(evenement=evenement, pk__in=presences).select_for_update():
            valeur = presences[participation.pk]
            if participation.present == valeur:
                continue
            participation.present = valeur
            participation.presence_notee_par = par
            participation.presence_notee_le = maintenant
            participation.save(update_fields=["present", "presence_notee_par", "presence_notee_le"])
            changees += 1
        if changees:
            journal.consigner(
                journal.Action.ADMINISTRATION,
                par=par,
                objet=evenement,
                details={"operation": "presences", "modifiees": changees, **compter(evenement)},
            )
    return changees


def _comptes(prefixe: str = "") -> dict[str, Count]:
    return {
        "invites": Count(f"{prefixe}pk"),
        "presents_annonces": Count(f"{prefixe}pk", filter=Q(**{f"{prefixe}reponse": ReponseInvitation.PRESENT})),
        "absents_annonces": Count(f"{prefixe}pk", filter=Q(**{f"{prefixe}reponse": ReponseInvitation.ABSENT})),
        "venus": Count(f"{prefixe}pk", filter=Q(**{f"{prefixe}present": True})),
    }


def compter(evenement: EvenementCollectif) -> dict[str, int]:
    """Answers and attendance of a time, in one query."""
    return Participation.objects.filter(evenement=evenement).aggregate(**_comptes())


def avec_comptes(evenements: QuerySet[EvenementCollectif]) -> QuerySet[EvenementCollectif]:
    """Each time with its counts (`invites`, `presents_annonces`, `absents_annonces`, `venus`), in the same query."""
    return evenements.annotate(**_comptes("participations__"))
