"""The committee's draft proposal: computed, adjusted by hand, then validated into pairs."""

from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures.models import Candidature, Role, Statut
from mentorat import journal
from mentorat.models import Promotion, Utilisateur

from .. import appariement
from ..exceptions import AppariementRefuse
from ..matrice import Matrice, calculer_matrice
from ..models import Binome, LigneProposition, Proposition, StatutBinome
from . import courriels


def _non_retenue(candidature: Candidature, role: str) -> AppariementRefuse:
    if role == Role.MENTOR:
        return AppariementRefuse(
            _("%(nom)s n'est pas un mentor retenu de cette promotion.") % {"nom": candidature.utilisateur}
        )
    return AppariementRefuse(
        _("%(nom)s n'est pas une personne mentorée retenue de cette promotion.") % {"nom": candidature.utilisateur}
    )


def _adresse_non_confirmee(candidature: Candidature) -> AppariementRefuse:
    return AppariementRefuse(
        _(
            "L'adresse électronique de %(nom)s n'est pas encore confirmée : cette personne ne peut être mise en "
            "binôme qu'après avoir suivi le lien de confirmation reçu par courriel."
        )
        % {"nom": candidature.utilisateur}
    )


def verifier_retenue(candidature: Candidature, promotion: Promotion, role: str) -> None:
    """Refuse a candidate who is not retained in `promotion` in `role` (a stale screen or a forged choice)."""
    if (candidature.promotion_id, candidature.role, candidature.statut) != (promotion.pk, role, Statut.RETENUE):
        raise _non_retenue(candidature, role)


def referents_du_brouillon(proposition: Proposition) -> Counter[int]:
    """Engineer id → lines of the draft already given to them (locked or chosen by hand); one query."""
    lignes = proposition.lignes.exclude(referent=None).order_by().values("referent").annotate(n=Count("pk"))
    return Counter({ligne["referent"]: ligne["n"] for ligne in lignes})


def _repartir_referents(
    promotion: Promotion, nombre: int, deja: Counter[int] | None = None
) -> list[Utilisateur | None]:
    """`nombre` referents, each time the engineer with the fewest pairs: the promotion's validated pairs, the
    draft's lines already given to them (`deja`), and those just given."""
    ingenieurs = list(Utilisateur.objects.ingenieurs_par_charge(promotion))
    if not ingenieurs:
        return [None] * nombre
    deja = deja or Counter()
    charge = {i.pk: i.nombre_binomes + deja[i.pk] for i in ingenieurs}
    choisis: list[Utilisateur | None] = []
    for _rang in range(nombre):
        referent = min(ingenieurs, key=lambda i: (charge[i.pk], i.nom, i.prenom, i.pk))
        charge[referent.pk] += 1
        choisis.append(referent)
    return choisis


@transaction.atomic
def proposer_appariement(*, promotion: Promotion, par: Utilisateur) -> Proposition:
    """Compute the optimal assignment again, keeping the locked lines of the current draft.

    Side effects: creates or updates the promotion's `Proposition`; replaces its unlocked lines; journaled.
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
    referents = _repartir_referents(promotion, len(nouvelles), referents_du_brouillon(proposition))
    LigneProposition.objects.bulk_create(
        LigneProposition(
            proposition=proposition,
            mentore=matrice.mentores[i],
            mentor=matrice.mentors[j],
            score=int(matrice.scores[i, j]),
            raisons=matrice.raisons(i, j),
            points=matrice.points(i, j),
            referent=referent,
        )
        for (i, j), referent in zip(nouvelles, referents, strict=True)
    )
    proposition.calculee_par, proposition.calculee_le = par, timezone.now()
    proposition.save(update_fields=["calculee_par", "calculee_le"])
    journal.consigner(
        journal.Action.APPARIEMENT_CALCULE,
        par=par,
        objet=promotion,
        details={"lignes_verrouillees": len(verrous), "lignes_calculees": len(nouvelles)},
    )
    return proposition


def _journaliser(proposition: Proposition, par: Utilisateur, operation: str, lignes: list[str]) -> None:
    journal.consigner(
        journal.Action.APPARIEMENT_MODIFIE,
        par=par,
        objet=proposition.promotion,
        details={"operation": operation, "lignes": lignes},
    )


def _verifier_paire(matrice: Matrice, mentore: Candidature, mentor: Candidature) -> tuple[int, int]:
    index_mentore, index_mentor = matrice.index()
    for candidature in (mentore, mentor):
        if candidature.statut == Statut.RETENUE and not candidature.utilisateur.email_confirme:
            raise _adresse_non_confirmee(candidature)
    if mentore.pk not in index_mentore:
        raise _non_retenue(mentore, Role.MENTORE)
    if mentor.pk not in index_mentor:
        raise _non_retenue(mentor, Role.MENTOR)
    i, j = index_mentore[mentore.pk], index_mentor[mentor.pk]
    if matrice.codes[i, j]:
        raise AppariementRefuse(_("Ce binôme est exclu : %(motif)s.") % {"motif": matrice.motif(i, j)})
    return i, j


@transaction.atomic
def ajouter_ligne(
    *, proposition: Proposition, mentore: Candidature, mentor: Candidature, par: Utilisateur
) -> LigneProposition:
    """Add a pair chosen by hand to the draft (locked, so that computing again keeps it); journaled.

    Refused (nothing saved) when either is not retained in this promotion, already in a line, or the pair is excluded.
    """
    proposition = Proposition.objects.select_for_update().get(pk=proposition.pk)
    matrice = calculer_matrice(proposition.promotion)
    i, j = _verifier_paire(matrice, mentore, mentor)
    if proposition.lignes.filter(Q(mentore=mentore) | Q(mentor=mentor)).exists():
        raise AppariementRefuse(
            _("L'une de ces deux personnes figure déjà dans la proposition : retirez d'abord sa ligne.")
        )
    ligne = LigneProposition.objects.create(
        proposition=proposition,
        mentore=mentore,
        mentor=mentor,
        score=int(matrice.scores[i, j]),
        raisons=matrice.raisons(i, j),
        points=matrice.points(i, j),
        referent=_repartir_referents(proposition.promotion, 1, referents_du_brouillon(proposition))[0],
        verrouillee=True,
        ajoutee_a_la_main=True,
    )
    _journaliser(proposition, par, "ajout", [str(ligne)])
    return ligne


@transaction.atomic
def echanger_mentors(*, ligne_a: LigneProposition, ligne_b: LigneProposition, par: Utilisateur) -> None:
    """Swap the mentors of two lines of the same draft; refused if a resulting pair is excluded. Journaled."""
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
        ligne.score, ligne.raisons, ligne.points = (
            int(matrice.scores[i, j]),
            matrice.raisons(i, j),
            matrice.points(i, j),
        )
        ligne.ajoutee_a_la_main = True
        ligne.save(force_insert=True)
    _journaliser(ligne_a.proposition, par, "échange des mentors", [str(ligne_a), str(ligne_b)])


@transaction.atomic
def retirer_ligne(*, ligne: LigneProposition, par: Utilisateur) -> None:
    """Remove a line from the draft: its two members return to the pool of the next computation. Journaled."""
    _journaliser(ligne.proposition, par, "retrait", [str(ligne)])
    ligne.delete()


@transaction.atomic
def modifier_ligne(
    *, ligne: LigneProposition, verrouillee: bool, referent: Utilisateur | None, par: Utilisateur
) -> None:
    """Lock or unlock a line and choose its referent engineer (an engineer, or none yet). Journaled."""
    if referent is not None and not Utilisateur.objects.ingenieurs().filter(pk=referent.pk).exists():
        raise AppariementRefuse(_("Le référent doit être un ingénieur ou une ingénieure en mentorat actif."))
    ligne.verrouillee = verrouillee
    ligne.referent = referent
    ligne.save(update_fields=["verrouillee", "referent"])
    details = "verrouillée" if verrouillee else "déverrouillée"
    _journaliser(ligne.proposition, par, f"ligne {details}, référent : {referent or '—'}", [str(ligne)])


@transaction.atomic
def valider_proposition(*, proposition: Proposition, par: Utilisateur, motif: str) -> list[Binome]:
    """Turn every line of the draft into a pair (statut « proposé »), recording who decided, when and why.

    Side effects: creates the `Binome` rows (with the mentee's objectives), deletes the draft; after commit, e-mails
    each member of each pair (introduction of the other, referent, launch day) and each retained candidate left
    without a pair.
    Refused as a whole, with a French message, if a line became impossible or someone is already paired.
    The draft's row is locked first: of two committee members validating at the same moment, the second waits,
    then finds the draft gone and is told so; the unique constraints on `Binome` remain the last guard.
    """
    verrouillee = Proposition.objects.select_for_update().select_related("promotion").filter(pk=proposition.pk).first()
    if verrouillee is None:
        raise AppariementRefuse(
            _("Cette proposition vient d'être validée par un autre membre du comité : rien n'a été créé en double.")
        )
    promotion = verrouillee.promotion
    lignes = list(verrouillee.lignes.select_related("mentore__utilisateur", "mentor__utilisateur", "referent"))
    if not lignes:
        raise AppariementRefuse(_("La proposition ne contient aucun binôme."))
    matrice = calculer_matrice(promotion)
    sans_referent = sum(ligne.referent_id is None for ligne in lignes)
    deja = Counter(ligne.referent_id for ligne in lignes if ligne.referent_id is not None)
    referents = iter(_repartir_referents(promotion, sans_referent, deja))
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
                # The pair starts from the mentee's objectives; the mentee revises them in the pair's space.
                objectifs=list(ligne.mentore.objectifs),
            )
        )
    try:
        with transaction.atomic():
            Binome.objects.bulk_create(binomes)
    except IntegrityError as erreur:
        raise AppariementRefuse(
            _("Une de ces personnes fait déjà partie d'un binôme de la promotion : rien n'a été validé.")
        ) from erreur
    verrouillee.delete()
    for binome in binomes:
        journal.consigner(journal.Action.BINOME_VALIDE, par=par, objet=binome, details={"motif": motif})
        courriels.presenter(binome)
    sans_binome = Candidature.objects.de_la_promotion(promotion).retenues().sans_binome().select_related("utilisateur")
    for candidature in sans_binome:
        courriels.annoncer_sans_binome(candidature)
    return binomes
