"""Writes of the binomes app: the committee's proposal and its validation, the pair's commitments, early stop."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures.departements import departements
from candidatures.models import Candidature, Role, Statut
from mentorat import emails
from mentorat.models import Promotion, Utilisateur

from . import appariement
from .models import (
    AnnonceSansBinome,
    Binome,
    Charte,
    Engagement,
    Exclusion,
    LigneProposition,
    Proposition,
    StatutBinome,
)


class AppariementRefuse(Exception):
    """A committee action that would break a rule; its message (French) says which."""


# ---------------------------------------------------------------------------
# Building the matching's plain data from the database (a constant number of queries)
# ---------------------------------------------------------------------------


@dataclass
class Matrice:
    """Everything the matching screens show for one promotion."""

    mentores: list[Candidature]
    mentors: list[Candidature]
    donnees_mentores: appariement.Candidats
    donnees_mentors: appariement.Candidats
    scores: np.ndarray
    codes: np.ndarray
    exclusions_manuelles: dict[tuple[int, int], str]

    def index(self) -> tuple[dict[int, int], dict[int, int]]:
        return {c.pk: i for i, c in enumerate(self.mentores)}, {c.pk: j for j, c in enumerate(self.mentors)}

    def raisons(self, i: int, j: int) -> list[str]:
        return appariement.raisons(self.donnees_mentores, self.donnees_mentors, i, j, settings.APPARIEMENT_POIDS)

    def motif(self, i: int, j: int) -> str:
        code = int(self.codes[i, j])
        if code == appariement.EXCLUSION_MANUELLE:
            cle = (self.mentores[i].pk, self.mentors[j].pk)
            return f"{appariement.motif_exclusion(code)} : {self.exclusions_manuelles[cle]}"
        return appariement.motif_exclusion(code) if code else ""


def _candidats(candidatures: list[Candidature], themes_par_candidature: dict[int, set[int]], themes: list[int]):
    depts = departements()
    colonne = {pk: k for k, pk in enumerate(themes)}
    matrice_themes = np.zeros((len(candidatures), len(themes)), dtype=bool)
    for i, c in enumerate(candidatures):
        for theme_id in themes_par_candidature.get(c.pk, ()):
            matrice_themes[i, colonne[theme_id]] = True
    # An unknown département code (should not happen: the form offers a list) counts as Paris.
    lieux = [depts.get(c.departement) or depts["75"] for c in candidatures]
    return appariement.Candidats(
        ids=np.array([c.pk for c in candidatures], dtype=np.int64),
        themes=matrice_themes,
        corps=np.array([c.corps for c in candidatures], dtype=str),
        latitudes=np.array([d.latitude for d in lieux], dtype=np.float64),
        longitudes=np.array([d.longitude for d in lieux], dtype=np.float64),
        modes=np.array([c.mode_rencontre for c in candidatures], dtype=str),
        etablissements=[appariement.normaliser(c.etablissement) for c in candidatures],
        ghts=[appariement.normaliser(c.ght) for c in candidatures],
        noms=[appariement.normaliser(c.utilisateur.get_full_name()) for c in candidatures],
        enjeux=[appariement.normaliser(c.enjeux_declares) for c in candidatures],
    )


def retenues(promotion: Promotion, role: str):
    return (
        Candidature.objects.de_la_promotion(promotion)
        .retenues()
        .filter(role=role)
        .select_related("utilisateur")
        .order_by("utilisateur__nom", "utilisateur__prenom", "pk")
    )


def calculer_matrice(promotion: Promotion) -> Matrice:
    """Scores and exclusions of every retained mentee × retained mentor of `promotion`.

    Queries: retained mentees, retained mentors, their themes, earlier pairs of the same people, manual exclusions,
    the pairs already validated in this promotion.
    """
    mentores, mentors = list(retenues(promotion, Role.MENTORE)), list(retenues(promotion, Role.MENTOR))
    ids = [c.pk for c in mentores + mentors]
    themes_par_candidature = defaultdict(set)
    for candidature_id, theme_id in Candidature.themes.through.objects.filter(candidature_id__in=ids).values_list(
        "candidature_id", "theme_id"
    ):
        themes_par_candidature[candidature_id].add(theme_id)
    themes = sorted({t for ts in themes_par_candidature.values() for t in ts})
    mentore_par_personne = {c.utilisateur_id: c.pk for c in mentores}
    mentor_par_personne = {c.utilisateur_id: c.pk for c in mentors}
    anciens = {
        (mentore_par_personne[mentore_user], mentor_par_personne[mentor_user])
        for mentore_user, mentor_user in Binome.objects.exclude(promotion=promotion)
        .filter(mentore__utilisateur__in=mentore_par_personne, mentor__utilisateur__in=mentor_par_personne)
        .values_list("mentore__utilisateur_id", "mentor__utilisateur_id")
    }
    manuelles = {
        (mentore_id, mentor_id): motif
        for mentore_id, mentor_id, motif in Exclusion.objects.filter(promotion=promotion).values_list(
            "mentore_id", "mentor_id", "motif"
        )
    }
    apparies = list(Binome.objects.filter(promotion=promotion).values_list("mentore_id", "mentor_id"))
    donnees_mentores = _candidats(mentores, themes_par_candidature, themes)
    donnees_mentors = _candidats(mentors, themes_par_candidature, themes)
    contraintes = appariement.Contraintes(
        mixte_autorise=promotion.binomes_mixtes,
        anciens_binomes=anciens,
        exclusions_manuelles=manuelles,
        mentores_apparies={mentore_id for mentore_id, _mentor_id in apparies},
        mentors_apparies={mentor_id for _mentore_id, mentor_id in apparies},
    )
    return Matrice(
        mentores=mentores,
        mentors=mentors,
        donnees_mentores=donnees_mentores,
        donnees_mentors=donnees_mentors,
        scores=appariement.scores(donnees_mentores, donnees_mentors, settings.APPARIEMENT_POIDS),
        codes=appariement.exclusions(donnees_mentores, donnees_mentors, contraintes),
        exclusions_manuelles=manuelles,
    )


def referents_par_charge(promotion: Promotion) -> list[Utilisateur]:
    """The active engineers, the one with the fewest pairs in `promotion` first (one query)."""
    return list(
        Utilisateur.objects.ingenieurs()
        .annotate(nombre_binomes=Count("binomes_suivis", filter=Q(binomes_suivis__promotion=promotion)))
        .order_by("nombre_binomes", "nom", "prenom", "pk")
    )


def _repartir_referents(promotion: Promotion, nombre: int) -> list[Utilisateur | None]:
    """`nombre` referents, each time the engineer with the fewest pairs (counting those just given)."""
    ingenieurs = referents_par_charge(promotion)
    if not ingenieurs:
        return [None] * nombre
    charge = {i.pk: i.nombre_binomes for i in ingenieurs}
    choisis = []
    for _rang in range(nombre):
        referent = min(ingenieurs, key=lambda i: (charge[i.pk], i.nom, i.prenom, i.pk))
        charge[referent.pk] += 1
        choisis.append(referent)
    return choisis


# ---------------------------------------------------------------------------
# The draft proposal
# ---------------------------------------------------------------------------


@transaction.atomic
def proposer_appariement(*, promotion: Promotion, par: Utilisateur) -> Proposition:
    """Compute the optimal assignment again, keeping the locked lines of the current draft.

    Side effects: creates or updates the promotion's `Proposition`; replaces its unlocked lines.
    Creates no pair: only `valider_proposition` does.
    """
    proposition, _cree = Proposition.objects.select_for_update().get_or_create(
        promotion=promotion, defaults={"calculee_par": par, "calculee_le": timezone.now()}
    )
    matrice = calculer_matrice(promotion)
    index_mentore, index_mentor = matrice.index()
    verrous = []
    for ligne in proposition.lignes.filter(verrouillee=True):
        i, j = index_mentore.get(ligne.mentore_id), index_mentor.get(ligne.mentor_id)
        if i is None or j is None:
            ligne.delete()  # one of the two is no longer retained
        else:
            verrous.append((i, j))
    proposition.lignes.filter(verrouillee=False).delete()
    nouvelles = [
        (i, j) for i, j in appariement.proposer(matrice.scores, matrice.codes, verrous) if (i, j) not in verrous
    ]
    referents = _repartir_referents(promotion, len(nouvelles))
    LigneProposition.objects.bulk_create(
        LigneProposition(
            proposition=proposition,
            mentore=matrice.mentores[i],
            mentor=matrice.mentors[j],
            score=int(matrice.scores[i, j]),
            raisons=matrice.raisons(i, j),
            referent=referent,
        )
        for (i, j), referent in zip(nouvelles, referents, strict=True)
    )
    proposition.calculee_par, proposition.calculee_le = par, timezone.now()
    proposition.save(update_fields=["calculee_par", "calculee_le"])
    return proposition


def _verifier_paire(matrice: Matrice, mentore: Candidature, mentor: Candidature) -> tuple[int, int]:
    index_mentore, index_mentor = matrice.index()
    if mentore.pk not in index_mentore:
        raise AppariementRefuse(
            _("%(nom)s n'est pas une personne mentorée retenue de cette promotion.") % {"nom": mentore.utilisateur}
        )
    if mentor.pk not in index_mentor:
        raise AppariementRefuse(
            _("%(nom)s n'est pas un mentor retenu de cette promotion.") % {"nom": mentor.utilisateur}
        )
    i, j = index_mentore[mentore.pk], index_mentor[mentor.pk]
    if matrice.codes[i, j]:
        raise AppariementRefuse(_("Ce binôme est exclu : %(motif)s.") % {"motif": matrice.motif(i, j)})
    return i, j


@transaction.atomic
def ajouter_ligne(*, proposition: Proposition, mentore: Candidature, mentor: Candidature) -> LigneProposition:
    """Add a pair chosen by hand to the draft (locked, so that computing again keeps it).

    Refused (nothing saved) when either is not retained in this promotion, already in a line, or the pair is excluded.
    """
    proposition = Proposition.objects.select_for_update().get(pk=proposition.pk)
    matrice = calculer_matrice(proposition.promotion)
    i, j = _verifier_paire(matrice, mentore, mentor)
    if proposition.lignes.filter(Q(mentore=mentore) | Q(mentor=mentor)).exists():
        raise AppariementRefuse(
            _("L'une de ces deux personnes figure déjà dans la proposition : retirez d'abord sa ligne.")
        )
    return LigneProposition.objects.create(
        proposition=proposition,
        mentore=mentore,
        mentor=mentor,
        score=int(matrice.scores[i, j]),
        raisons=matrice.raisons(i, j),
        referent=_repartir_referents(proposition.promotion, 1)[0],
        verrouillee=True,
        ajoutee_a_la_main=True,
    )


@transaction.atomic
def echanger_mentors(*, ligne_a: LigneProposition, ligne_b: LigneProposition) -> None:
    """Swap the mentors of two lines of the same draft; refused if a resulting pair is excluded."""
    if ligne_a.proposition_id != ligne_b.proposition_id or ligne_a.pk == ligne_b.pk:
        raise AppariementRefuse(_("Choisissez deux lignes différentes de la même proposition."))
    matrice = calculer_matrice(ligne_a.proposition.promotion)
    i_a, j_a = _verifier_paire(matrice, ligne_a.mentore, ligne_b.mentor)
    i_b, j_b = _verifier_paire(matrice, ligne_b.mentore, ligne_a.mentor)
    mentor_a, mentor_b = ligne_a.mentor, ligne_b.mentor
    # The unique (proposition, mentor) constraint forbids an intermediate state with one mentor twice.
    LigneProposition.objects.filter(pk__in=[ligne_a.pk, ligne_b.pk]).delete()
    for ligne, mentor, (i, j) in ((ligne_a, mentor_b, (i_a, j_a)), (ligne_b, mentor_a, (i_b, j_b))):
        ligne.mentor = mentor
        ligne.score, ligne.raisons = int(matrice.scores[i, j]), matrice.raisons(i, j)
        ligne.ajoutee_a_la_main = True
        ligne.save(force_insert=True)


def retirer_ligne(*, ligne: LigneProposition) -> None:
    """Remove a line from the draft: its two members return to the pool of the next computation."""
    ligne.delete()


def modifier_ligne(*, ligne: LigneProposition, verrouillee: bool, referent: Utilisateur | None) -> None:
    """Lock or unlock a line and choose its referent engineer."""
    ligne.verrouillee = verrouillee
    ligne.referent = referent
    ligne.save(update_fields=["verrouillee", "referent"])


def laisses_de_cote(proposition: Proposition | None, promotion: Promotion) -> tuple[list, list]:
    """Retained mentees and mentors of `promotion` in no line of the draft and in no pair (2 queries)."""
    dans_la_proposition = proposition.lignes.all() if proposition else LigneProposition.objects.none()
    resultats = []
    for role, champ in ((Role.MENTORE, "mentore"), (Role.MENTOR, "mentor")):
        resultats.append(
            list(
                retenues(promotion, role)
                .exclude(pk__in=dans_la_proposition.values(champ))
                .exclude(pk__in=Binome.objects.filter(promotion=promotion).values(champ))
            )
        )
    return resultats[0], resultats[1]


@transaction.atomic
def valider_proposition(*, proposition: Proposition, par: Utilisateur, motif: str) -> list[Binome]:
    """Turn every line of the draft into a pair (statut « proposé »), recording who decided, when and why.

    Side effects: creates the `Binome` rows, deletes the draft; after commit, e-mails each member of each pair
    (introduction of the other, referent, launch day) and each retained candidate left without a pair.
    Refused as a whole, with a French message, if a line became impossible or someone is already paired.
    The draft's row is locked first: of two committee members validating at the same moment, the second waits,
    then finds the draft gone and is told so; the unique constraints on `Binome` remain the last guard.
    """
    proposition = Proposition.objects.select_for_update().select_related("promotion").filter(pk=proposition.pk).first()
    if proposition is None:
        raise AppariementRefuse(
            _("Cette proposition vient d'être validée par un autre membre du comité : rien n'a été créé en double.")
        )
    promotion = proposition.promotion
    lignes = list(proposition.lignes.select_related("mentore__utilisateur", "mentor__utilisateur", "referent"))
    if not lignes:
        raise AppariementRefuse(_("La proposition ne contient aucun binôme."))
    matrice = calculer_matrice(promotion)
    referents = iter(_repartir_referents(promotion, len(lignes)))
    binomes = []
    for ligne in lignes:
        _verifier_paire(matrice, ligne.mentore, ligne.mentor)
        referent = ligne.referent or next(referents)
        if referent is None:
            raise AppariementRefuse(_("Aucun ingénieur en mentorat actif ne peut être référent."))
        binomes.append(
            Binome(
                promotion=promotion,
                mentore=ligne.mentore,
                mentor=ligne.mentor,
                referent=referent,
                score=ligne.score,
                raisons=ligne.raisons,
                decide_par=par,
                motif_decision=motif,
                statut=StatutBinome.PROPOSE,
            )
        )
    try:
        with transaction.atomic():
            Binome.objects.bulk_create(binomes)
    except IntegrityError as erreur:
        raise AppariementRefuse(
            _("Une de ces personnes fait déjà partie d'un binôme de la promotion : rien n'a été validé.")
        ) from erreur
    proposition.delete()
    sans_binome = [c.pk for groupe in laisses_de_cote(None, promotion) for c in groupe]
    from . import tasks

    for binome in binomes:
        for membre in (binome.mentor_id, binome.mentore_id):
            transaction.on_commit(lambda pk=binome.pk, membre=membre: tasks.presenter_binome.delay(pk, membre))
    for candidature_id in sans_binome:
        transaction.on_commit(lambda pk=candidature_id: tasks.annoncer_sans_binome.delay(pk))
    return binomes


# ---------------------------------------------------------------------------
# The pair's life
# ---------------------------------------------------------------------------

TRANSITIONS = {
    StatutBinome.PROPOSE: {StatutBinome.CONFIRME, StatutBinome.ACTIF, StatutBinome.ARRETE},
    StatutBinome.CONFIRME: {StatutBinome.ACTIF, StatutBinome.ARRETE, StatutBinome.TERMINE},
    StatutBinome.ACTIF: {StatutBinome.ARRETE, StatutBinome.TERMINE},
    StatutBinome.TERMINE: set(),
    StatutBinome.ARRETE: set(),
}


def changer_statut(
    *, binome: Binome, statut: StatutBinome, par: Utilisateur | None = None, date_arret: datetime.date | None = None
) -> None:
    """The only function that changes a pair's status.

    - `confirme`: both members signed the charter and confirmed the absence of stakes, before the launch day;
    - `actif`: confirmed and the launch day reached (directly from `propose` when both confirm on or after it);
    - `arrete`: early stop recorded by the referent or the committee; records `date_arret` and who recorded it;
    - `termine`: the year is over.
    Nothing else is touched: meetings and answers stay (a stopped pair keeps its history). Sends no e-mail.
    """
    if statut not in TRANSITIONS[StatutBinome(binome.statut)]:
        raise AppariementRefuse(
            _("Un binôme « %(de)s » ne peut devenir « %(vers)s ».")
            % {"de": binome.get_statut_display(), "vers": StatutBinome(statut).label}
        )
    binome.statut = statut
    champs = ["statut"]
    if statut == StatutBinome.ARRETE:
        binome.date_arret, binome.arret_enregistre_par = date_arret or timezone.localdate(), par
        champs += ["date_arret", "arret_enregistre_par"]
    binome.save(update_fields=champs)


def _statut_confirme(binome: Binome, aujourd_hui: datetime.date) -> StatutBinome:
    return StatutBinome.ACTIF if aujourd_hui >= binome.promotion.journee_lancement else StatutBinome.CONFIRME


def _engagement(binome: Binome, utilisateur: Utilisateur) -> Engagement:
    if not binome.role_de(utilisateur):
        raise AppariementRefuse(_("Seuls les deux membres du binôme peuvent s'engager."))
    if binome.statut in (StatutBinome.ARRETE, StatutBinome.TERMINE):
        raise AppariementRefuse(_("Ce binôme est clos."))
    engagement, _cree = Engagement.objects.select_for_update().get_or_create(binome=binome, utilisateur=utilisateur)
    return engagement


def _confirmer_si_complet(binome: Binome, le: datetime.datetime) -> None:
    complets = Engagement.objects.filter(
        binome=binome, charte_signee_le__isnull=False, absence_enjeux_confirmee_le__isnull=False
    ).count()
    if complets == 2 and binome.statut == StatutBinome.PROPOSE:
        changer_statut(binome=binome, statut=_statut_confirme(binome, timezone.localdate(le)))


@transaction.atomic
def signer_charte(*, binome: Binome, utilisateur: Utilisateur, le: datetime.datetime | None = None) -> Engagement:
    """Record the member's signature of the current charter (version and moment); may confirm the pair.

    `le` is the moment of the signature, now by default (the demo dates it at its launch day).
    """
    le = le or timezone.now()
    binome = Binome.objects.select_for_update().select_related("promotion", "mentor", "mentore").get(pk=binome.pk)
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
    """Record that the member confirms the absence of professional and personal stakes and commits; may confirm."""
    le = le or timezone.now()
    binome = Binome.objects.select_for_update().select_related("promotion", "mentor", "mentore").get(pk=binome.pk)
    engagement = _engagement(binome, utilisateur)
    if engagement.absence_enjeux_confirmee_le is None:
        engagement.absence_enjeux_confirmee_le = le
        engagement.save(update_fields=["absence_enjeux_confirmee_le"])
    _confirmer_si_complet(binome, le)
    return engagement


def activer_binomes(*, aujourd_hui: datetime.date) -> int:
    """Confirmed pairs whose launch day has come become active; returns how many."""
    nombre = 0
    for binome in Binome.objects.a_activer(aujourd_hui).select_related("promotion"):
        with transaction.atomic():
            changer_statut(binome=binome, statut=StatutBinome.ACTIF)
        nombre += 1
    return nombre


@transaction.atomic
def demander_arret(*, binome: Binome, par: Utilisateur, motif: str) -> None:
    """A member asks to stop: records who, when and the reason category.

    Side effects, after commit: e-mails the referent at once, and each member, asking the pair to hold a last
    meeting and to answer the end-of-pair questionnaire. Refused if a stop is already asked (no second e-mail).
    The status does not change: the referent (or the committee) records the stop after the last meeting.
    """
    binome = Binome.objects.select_for_update().select_related("mentor", "mentore").get(pk=binome.pk)
    if not binome.role_de(par):
        raise AppariementRefuse(_("Seuls les deux membres du binôme peuvent demander l'arrêt."))
    if binome.statut in (StatutBinome.ARRETE, StatutBinome.TERMINE):
        raise AppariementRefuse(_("Ce binôme est déjà clos."))
    if binome.arret_demande_le:
        raise AppariementRefuse(_("L'arrêt de ce binôme est déjà demandé ; l'ingénieur référent en est informé."))
    binome.arret_demande_par, binome.arret_demande_le, binome.motif_arret = par, timezone.now(), motif
    binome.save(update_fields=["arret_demande_par", "arret_demande_le", "motif_arret"])
    from . import tasks

    transaction.on_commit(lambda: tasks.prevenir_referent_arret.delay(binome.pk))
    for membre in binome.membres_ids():
        transaction.on_commit(lambda membre=membre: tasks.demander_derniere_rencontre.delay(binome.pk, membre))


@transaction.atomic
def enregistrer_arret(*, binome: Binome, par: Utilisateur, date: datetime.date, motif: str = "") -> None:
    """The referent or the committee records the early stop (statut « arrêté ») with its date."""
    binome = Binome.objects.select_for_update().get(pk=binome.pk)
    if motif and not binome.motif_arret:
        binome.motif_arret = motif
        binome.save(update_fields=["motif_arret"])
    changer_statut(binome=binome, statut=StatutBinome.ARRETE, par=par, date_arret=date)


# ---------------------------------------------------------------------------
# E-mails (called by the Celery tasks)
# ---------------------------------------------------------------------------


def _binome_complet(binome_id: int) -> Binome:
    return Binome.objects.select_related(
        "promotion", "referent", "mentor__utilisateur", "mentore__utilisateur", "arret_demande_par"
    ).get(pk=binome_id)


def envoyer_presentation(*, binome_id: int, candidature_id: int) -> None:
    """E-mail one member (one e-mail per task, so a retry never sends twice): the other, the referent, launch day."""
    binome = _binome_complet(binome_id)
    moi, autre = (
        (binome.mentor, binome.mentore) if binome.mentor_id == candidature_id else (binome.mentore, binome.mentor)
    )
    emails.envoyer(
        "binome-presentation",
        [moi.utilisateur.email],
        {"binome": binome, "moi": moi, "autre": autre, "promotion": binome.promotion, "referent": binome.referent},
    )


def envoyer_sans_binome(*, candidature_id: int) -> None:
    """Tell a retained candidate left without a pair, once: a second validation round does not repeat it."""
    candidature = Candidature.objects.select_related("utilisateur", "promotion").get(pk=candidature_id)
    if (
        candidature.statut != Statut.RETENUE
        or Binome.objects.filter(Q(mentor=candidature) | Q(mentore=candidature)).exists()
    ):
        return
    with transaction.atomic():
        # The claim and the sending commit together: an SMTP error rolls the claim back and the retry sends.
        _annonce, nouvelle = AnnonceSansBinome.objects.get_or_create(candidature=candidature)
        if nouvelle:
            emails.envoyer("binome-sans-binome", [candidature.utilisateur.email], {"candidature": candidature})


def envoyer_demande_arret(*, binome_id: int) -> None:
    binome = _binome_complet(binome_id)
    emails.envoyer("binome-demande-arret", [binome.referent.email], {"binome": binome})


def envoyer_derniere_rencontre(*, binome_id: int, utilisateur_id: int) -> None:
    """E-mail one member after a stop request: hold a last meeting, then answer the end-of-pair questionnaire."""
    binome = _binome_complet(binome_id)
    membre = next(m for m in binome.membres() if m.pk == utilisateur_id)
    emails.envoyer(
        "binome-derniere-rencontre",
        [membre.email],
        {"binome": binome, "membre": membre, "demandeur": membre.pk == binome.arret_demande_par_id},
    )


def exclure(
    *, promotion: Promotion, mentore: Candidature, mentor: Candidature, motif: str, par: Utilisateur
) -> Exclusion:
    """Record a pair the committee forbids; both must be retained candidates of `promotion` in their role."""
    if mentore.promotion_id != promotion.pk or mentore.role != Role.MENTORE or mentore.statut != Statut.RETENUE:
        raise AppariementRefuse(
            _("%(nom)s n'est pas une personne mentorée retenue de cette promotion.") % {"nom": mentore.utilisateur}
        )
    if mentor.promotion_id != promotion.pk or mentor.role != Role.MENTOR or mentor.statut != Statut.RETENUE:
        raise AppariementRefuse(
            _("%(nom)s n'est pas un mentor retenu de cette promotion.") % {"nom": mentor.utilisateur}
        )
    exclusion, cree = Exclusion.objects.get_or_create(
        mentore=mentore, mentor=mentor, defaults={"promotion": promotion, "motif": motif, "cree_par": par}
    )
    if not cree:
        raise AppariementRefuse(_("Cette exclusion est déjà enregistrée."))
    return exclusion
