"""The pair's life: its members' commitments, its status, an early stop."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures import places
from mentorat import emails, journal
from mentorat.models import Utilisateur

from ..exceptions import BinomeRefuse
from ..models import Binome, Charte, Engagement, StatutBinome
from ..rules import peut_modifier_objectifs
from . import courriels


def changer_statut(
    *, binome: Binome, statut: StatutBinome, par: Utilisateur | None = None, date_arret: datetime.date | None = None
) -> None:
    """The only function that changes a pair's status; the pair's row is locked while it does.

    - `confirme`: both members signed the charter and confirmed together the absence of stakes, before the launch
      day (the committee may open the joint confirmation earlier, `Promotion.ouverture_confirmation`);
    - `actif`: confirmed and the launch day reached (directly from `propose` when both confirm on or after it);
    - `arrete`: early stop recorded by the referent or the committee; records `date_arret` and who recorded it;
    - `termine`: the year is over.
    Nothing else is touched: meetings and answers stay (a stopped pair keeps its history). Sends no e-mail.
    Raises `BinomeRefuse` for a transition `StatutBinome.suivants` forbids, judged on the status in the database.
    """
    with transaction.atomic():
        actuel = StatutBinome(Binome.objects.select_for_update().values_list("statut", flat=True).get(pk=binome.pk))
        if statut not in actuel.suivants:
            raise BinomeRefuse(
                _("Un binôme « %(de)s » ne peut devenir « %(vers)s ».")
                % {"de": actuel.label, "vers": StatutBinome(statut).label}
            )
        binome.statut = statut
        champs = ["statut"]
        if statut == StatutBinome.ARRETE:
            binome.date_arret, binome.arret_enregistre_par = date_arret or timezone.localdate(), par
            champs += ["date_arret", "arret_enregistre_par"]
        binome.save(update_fields=champs)


def _statut_confirme(binome: Binome, aujourd_hui: datetime.date) -> StatutBinome:
    return StatutBinome.ACTIF if aujourd_hui >= binome.promotion.journee_lancement else StatutBinome.CONFIRME


class ConfirmationPasOuverte(BinomeRefuse):
    """The joint confirmation opens on the launch day (or the earlier day the committee set)."""


def _engagement(binome: Binome, utilisateur: Utilisateur) -> Engagement:
    if not binome.role_de(utilisateur):
        raise BinomeRefuse(_("Seuls les deux membres du binôme peuvent s'engager."))
    if binome.est_clos:
        raise BinomeRefuse(_("Ce binôme est clos."))
    engagement, _cree = Engagement.objects.select_for_update().get_or_create(binome=binome, utilisateur=utilisateur)
    return engagement


def _confirmer_si_complet(binome: Binome, le: datetime.datetime) -> None:
    complets = Engagement.objects.filter(
        binome=binome, charte_signee_le__isnull=False, absence_enjeux_confirmee_le__isnull=False
    ).count()
    if complets == 2 and binome.statut == StatutBinome.PROPOSE:
        changer_statut(binome=binome, statut=_statut_confirme(binome, timezone.localdate(le)))


def _binome_verrouille(binome: Binome) -> Binome:
    return Binome.objects.select_for_update().select_related("promotion", "mentor", "mentore").get(pk=binome.pk)


@transaction.atomic
def signer_charte(*, binome: Binome, utilisateur: Utilisateur, le: datetime.datetime | None = None) -> Engagement:
    """Record the member's signature of the current charter (version and moment); may confirm the pair.

    `le` is the moment of the signature, now by default (the demo dates it at its launch day).
    """
    le = le or timezone.now()
    binome = _binome_verrouille(binome)
    engagement = _engagement(binome, utilisateur)
    if engagement.charte_signee_le is None:
        engagement.charte = Charte.objects.order_by("-version").first()
        engagement.charte_signee_le = le
        engagement.save(update_fields=["charte", "charte_signee_le"])
    _confirmer_si_complet(binome, le)
    return engagement


@transaction.atomic
def confirmer_engagement(
    *, binome: Binome, utilisateur: Utilisateur, le: datetime.datetime | None = None
) -> Engagement:
    """Record that the member confirms the absence of professional and personal stakes and commits; may confirm.

    Joint: the pair is confirmed (then active) only once both members have done it, from the day the
    promotion opens the confirmation (`Promotion.confirmation_ouverte_le`); raises `ConfirmationPasOuverte`
    before it.
    """
    le = le or timezone.now()
    binome = _binome_verrouille(binome)
    engagement = _engagement(binome, utilisateur)
    ouverture = binome.promotion.confirmation_ouverte_le()
    if timezone.localdate(le) < ouverture:  # raised inside the transaction: nothing is kept
        raise ConfirmationPasOuverte(
            _("La confirmation commune s'ouvre le %(date)s : vous la ferez ensemble ce jour-là.")
            % {"date": ouverture.strftime("%d/%m/%Y")}
        )
    if engagement.absence_enjeux_confirmee_le is None:
        engagement.absence_enjeux_confirmee_le = le
        engagement.save(update_fields=["absence_enjeux_confirmee_le"])
    _confirmer_si_complet(binome, le)
    return engagement


def activer_binomes(*, aujourd_hui: datetime.date) -> int:
    """Confirmed pairs whose launch day has come become active; returns how many."""
    nombre = 0
    for binome in Binome.objects.a_activer(aujourd_hui):
        try:
            changer_statut(binome=binome, statut=StatutBinome.ACTIF)
        except BinomeRefuse:
            continue  # stopped meanwhile by the committee: nothing to activate
        nombre += 1
    return nombre


def terminer_binomes(*, aujourd_hui: datetime.date) -> int:
    """Daily: on their promotion's bilan day, pairs still meeting become « terminé »; returns how many.

    One UPDATE, idempotent (a finished pair no longer matches); the transition is one `StatutBinome.suivants`
    allows (confirmed or active → finished). A pair with a stop still awaiting its recording finishes too: the
    year is over.
    """
    return Binome.objects.a_terminer(aujourd_hui).update(statut=StatutBinome.TERMINE)


def signaler_non_confirmes(*, aujourd_hui: datetime.date) -> list[int]:
    """Daily: flag to their referent the pairs still unconfirmed two weeks after the launch day; returns their ids.

    Each pair is flagged once (`non_confirme_signale_le`, claimed by an UPDATE on the rows still unflagged);
    one e-mail per pair to its referent, after commit. The tracking dashboard lists the flagged pairs.
    """
    with transaction.atomic():
        binomes = list(Binome.objects.a_signaler_non_confirmes(aujourd_hui).select_related("referent", "promotion"))
        ids = [binome.pk for binome in binomes]
        Binome.objects.filter(pk__in=ids, non_confirme_signale_le__isnull=True).update(
            non_confirme_signale_le=timezone.now()
        )
        for binome in binomes:
            courriels.signaler_non_confirme(binome)
    return ids


@transaction.atomic
def demander_arret(*, binome: Binome, par: Utilisateur, motif: str) -> None:
    """A member asks to stop: records who, when and the reason category.

    Side effects, after commit: e-mails the referent at once, and each member, asking the pair to hold a last
    meeting and to answer the end-of-pair questionnaire. Refused if a stop is already asked (no second e-mail).
    The status does not change: the referent (or the committee) records the stop after the last meeting.
    """
    binome = _binome_verrouille(binome)
    if not binome.role_de(par):
        raise BinomeRefuse(_("Seuls les deux membres du binôme peuvent demander l'arrêt."))
    if binome.est_clos:
        raise BinomeRefuse(_("Ce binôme est déjà clos."))
    if not binome.est_confirme:
        raise BinomeRefuse(
            _("L'arrêt se demande une fois le binôme confirmé ; d'ici là, parlez-en à votre ingénieur référent.")
        )
    if binome.arret_demande_le:
        raise BinomeRefuse(_("L'arrêt de ce binôme est déjà demandé ; l'ingénieur référent en est informé."))
    binome.arret_demande_par, binome.arret_demande_le, binome.motif_arret = par, timezone.now(), motif
    binome.save(update_fields=["arret_demande_par", "arret_demande_le", "motif_arret"])
    courriels.prevenir_demande_arret(binome)


@transaction.atomic
def enregistrer_arret(
    *,
    binome: Binome,
    par: Utilisateur,
    date: datetime.date,
    motif: str = "",
    note: str = "",
    derniere_rencontre_le: datetime.date | None = None,
    sans_derniere_rencontre: str = "",
) -> None:
    """The referent (or the committee) records the early stop (« arrêté »): date, reason category, an optional
    note for the committee, and the pair's last meeting or why there was none. Journaled.

    Side effects, after commit: each member is e-mailed that the stop is recorded, and both are invited to
    the end-of-pair questionnaire whatever the date (`evaluation.services.inviter_fin_de_binome`). A stop dated
    before the launch day frees the mentee's place: the next person on the waiting list is offered to the
    committee (`candidatures.places.liberer_place`).
    Raises `BinomeRefuse` when the pair is closed already.
    """
    binome = Binome.objects.select_for_update().get(pk=binome.pk)
    binome.motif_arret = motif or binome.motif_arret
    binome.note_arret = note
    binome.derniere_rencontre_le = derniere_rencontre_le
    binome.sans_derniere_rencontre = "" if derniere_rencontre_le else sans_derniere_rencontre
    changer_statut(binome=binome, statut=StatutBinome.ARRETE, par=par, date_arret=date)
    binome.save(update_fields=["motif_arret", "note_arret", "derniere_rencontre_le", "sans_derniere_rencontre"])
    journal.consigner(
        journal.Action.BINOME_ARRETE,
        par=par,
        objet=binome,
        details={
            "date": date.isoformat(),
            "motif": binome.motif_arret,
            "derniere_rencontre": derniere_rencontre_le.isoformat() if derniere_rencontre_le else "",
        },
    )
    from evaluation.tasks import inviter_fin_de_binome

    places.liberer_place(candidature=binome.mentore, par=par, le=date)
    courriels.annoncer_arret(binome)
    emails.apres_commit(inviter_fin_de_binome, binome.pk)


@transaction.atomic
def changer_referent(*, binome: Binome, referent: Utilisateur, par: Utilisateur) -> None:
    """Give the pair another referent, who must be an active engineer; journaled with the former one."""
    if not Utilisateur.objects.ingenieurs().filter(pk=referent.pk).exists():
        raise BinomeRefuse(_("Le référent doit être un ingénieur ou une ingénieure en mentorat actif."))
    binome = Binome.objects.select_for_update().select_related("referent").get(pk=binome.pk)
    if binome.referent_id == referent.pk:
        return
    avant = binome.referent
    binome.referent = referent
    binome.save(update_fields=["referent"])
    journal.consigner(
        journal.Action.BINOME_MODIFIE,
        par=par,
        objet=binome,
        details={"referent_avant": str(avant), "referent_apres": str(referent)},
    )


@transaction.atomic
def modifier_objectifs(*, binome: Binome, par: Utilisateur, objectifs: list[str]) -> Binome:
    """The mentee revises the pair's objectives (`rules.peut_modifier_objectifs`, read under the row's lock).

    Side effects: none beyond the record; no journal entry, the objectives being the pair's own (never shown to the
    committee). Raises `BinomeRefuse` once the pair is closed or the mid-course event has come, or for anyone else.
    """
    binome = _binome_verrouille(binome)
    if not peut_modifier_objectifs(par, binome, timezone.localdate()):
        raise BinomeRefuse(
            _(
                "Les objectifs du binôme ne peuvent plus être modifiés : la personne mentorée les révise en début "
                "d'année, jusqu'au temps collectif de mi-parcours."
            )
        )
    binome.objectifs = objectifs
    binome.save(update_fields=["objectifs"])
    return binome
