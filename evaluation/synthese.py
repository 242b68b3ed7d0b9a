"""The figures of a campaign's synthesis, computed set-based (a fixed number of queries).

Only aggregates: response rate, each question's distribution, and breakdowns by
role and by corps restricted by `anonymat.ventiler`; from the tracking data, the share
of the themes wished at application that the invited pairs' meetings covered, under
the same threshold. Nothing per pair or per person exists to be shown.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from binomes.models import Binome
from candidatures.models import Role
from mentorat import fragments
from mentorat.models import Corps
from suivi import couverture

from . import graphiques
from .anonymat import ventiler
from .models import NOTE_MAX, NOTE_MIN, Campagne, Invitation, Question, Reponse, TypeQuestion, Valeur


@dataclass
class Indicateur:
    question: Question
    libelles: list[str]
    valeurs: list[int]
    moyenne: float | None
    svg: SafeString

    @property
    def lignes(self) -> list[tuple[str, int]]:
        return list(zip(self.libelles, self.valeurs, strict=True))


@dataclass
class LigneGroupe:
    libelle: str
    effectif: int
    moyennes: list[float | None]


@dataclass
class Repartition:
    titre: str
    lignes: list[LigneGroupe]
    masques: list[str]
    effectif_masque: int


@dataclass
class CouvertureThemes:
    """The share of wished themes covered by the pairs whose mentee was invited, overall and by corps.

    Shown only from `seuil` pairs; the corps are split by `anonymat.ventiler` like the answers' groups."""

    part: couverture.Part
    par_corps: list[tuple[str, couverture.Part]]
    masques: list[str]
    seuil: int

    @property
    def visible(self) -> bool:
        return self.part.binomes >= self.seuil


@dataclass
class Synthese:
    campagne: Campagne
    nb_invites: int
    nb_reponses: int
    indicateurs: list[Indicateur] = field(default_factory=list)
    questions_echelle: list[Question] = field(default_factory=list)
    repartitions: list[Repartition] = field(default_factory=list)
    seuil_groupe: int = 5
    couverture: CouvertureThemes | None = None

    @property
    def taux(self) -> int:
        return round(100 * self.nb_reponses / self.nb_invites) if self.nb_invites else 0

    @property
    def assez_de_reponses(self) -> bool:
        """Below the group threshold even the whole campaign is too small a group to show:
        in an end-of-pair questionnaire answered by one pair, each member would read the other's answers."""
        return self.nb_reponses >= self.seuil_groupe


def _indicateur(question: Question, comptes: dict) -> Indicateur:
    if question.type == TypeQuestion.ECHELLE:
        cles = list(range(NOTE_MIN, NOTE_MAX + 1))
        libelles = [str(n) for n in cles]
    else:
        cles, libelles = [True, False], [_("Oui"), _("Non")]
    valeurs = [comptes.get((question.pk, cle), 0) for cle in cles]
    moyenne = None
    if question.type == TypeQuestion.ECHELLE and sum(valeurs):
        moyenne = round(sum(c * v for c, v in zip(cles, valeurs, strict=True)) / sum(valeurs), 1)
    return Indicateur(question, libelles, valeurs, moyenne, graphiques.barres(libelles, valeurs))


def _repartition(campagne, attribut, titre, choix, questions, seuil) -> Repartition:
    # One query for the group sizes, one for the averages of every scale question per group.
    effectifs = dict.fromkeys(choix, 0)
    for ligne in Reponse.objects.filter(campagne=campagne).values(attribut).annotate(n=Count("id")):
        effectifs[ligne[attribut]] = ligne["n"]
    moyennes = {
        (ligne[f"reponse__{attribut}"], ligne["question_id"]): ligne["m"]
        for ligne in Valeur.objects.filter(reponse__campagne=campagne, question__in=questions)
        .values(f"reponse__{attribut}", "question_id")
        .annotate(m=Avg("note"))
    }
    decoupage = ventiler(effectifs, seuil)
    lignes = [
        LigneGroupe(choix[g], effectifs[g], [_arrondi(moyennes.get((g, q.pk))) for q in questions])
        for g in decoupage.visibles
    ]
    # Groups nobody belongs to are left out of the notice: there is nothing in them to merge.
    masques = [g for g in decoupage.masques if effectifs[g]]
    return Repartition(titre, lignes, [choix[g] for g in masques], sum(effectifs[g] for g in masques))


def _arrondi(valeur: float | None) -> float | None:
    return None if valeur is None else round(valeur, 1)


def _couverture(campagne: Campagne, seuil: int) -> CouvertureThemes:
    """The pairs of the campaign's promotion whose mentee it invited, their meetings held by its closing day (2
    queries)."""
    mentores = Invitation.objects.filter(campagne=campagne, role=Role.MENTORE).values("utilisateur")
    binomes = Binome.objects.filter(promotion_id=campagne.promotion_id, mentore__utilisateur__in=mentores)
    jusqu_au = timezone.localdate(campagne.fermeture)
    part = couverture.part_couverte(binomes, jusqu_au)
    parts = couverture.parts_par(binomes, "mentore__corps", jusqu_au)
    effectifs = {corps: parts[corps].binomes if corps in parts else 0 for corps in Corps.values}
    decoupage = ventiler(effectifs, seuil)
    libelles = {corps: str(libelle) for corps, libelle in Corps.choices}
    return CouvertureThemes(
        part=part,
        par_corps=[(libelles[c], parts[c]) for c in decoupage.visibles],
        masques=[libelles[c] for c in decoupage.masques if effectifs[c]],
        seuil=seuil,
    )


def calculer(campagne: Campagne) -> Synthese:
    """The synthesis figures of `campagne` (9 queries, whatever the number of responses and pairs)."""
    seuil = settings.EVALUATION_SEUIL_GROUPE
    # A question retired after the campaign still belongs to its results.
    repondue = Exists(Valeur.objects.filter(question=OuterRef("pk"), reponse__campagne=campagne))
    questions = list(Question.objects.filter(Q(active=True) | repondue).exclude(type=TypeQuestion.TEXTE))
    comptes = {}
    for ligne in (
        Valeur.objects.filter(reponse__campagne=campagne).values("question_id", "note", "oui").annotate(n=Count("id"))
    ):
        cle = ligne["note"] if ligne["note"] is not None else ligne["oui"]
        comptes[(ligne["question_id"], cle)] = ligne["n"]
    echelles = [q for q in questions if q.type == TypeQuestion.ECHELLE]
    synthese = Synthese(
        campagne=campagne,
        nb_invites=campagne.invitations.count(),
        nb_reponses=campagne.reponses.count(),
        indicateurs=[_indicateur(q, comptes) for q in questions],
        questions_echelle=echelles,
        seuil_groupe=seuil,
    )
    synthese.repartitions = [
        _repartition(campagne, "role", _("Par rôle"), dict(Role.choices), echelles, seuil),
        _repartition(campagne, "corps", _("Par corps"), dict(Corps.choices), echelles, seuil),
    ]
    synthese.couverture = _couverture(campagne, seuil)
    return synthese


def cle_de_cache(campagne: Campagne) -> str:
    """What a closed campaign's synthesis depends on: `cle_sans_les_questions`, and the questions
    (`mentorat.fragments.version`, bumped when one changes)."""
    return f"{cle_sans_les_questions(campagne)}:{fragments.version()}"


def cle_sans_les_questions(campagne: Campagne) -> str:
    """The campaign's values (its answers are moved in once, which sets `reponses_brassees`) and the thresholds."""
    seuils = f"{settings.EVALUATION_SEUIL_GROUPE}-{settings.EVALUATION_SEUIL_VERBATIM}"
    return f"{campagne.pk}:{fragments.empreinte(campagne)}:{seuils}"


def en_cache(campagne: Campagne, cle: str | None = None) -> Synthese:
    """A closed campaign's figures, computed once and then read from the cache under `cle_de_cache` (given as `cle`
    when the caller has it): the synthesis page and its PDF, immediate or in the background, share them. An open
    campaign's are computed each time."""
    if not campagne.est_close():
        return calculer(campagne)  # answers may still come, which the key does not follow
    cle = cle or cle_de_cache(campagne)
    figures = cache.get(f"synthese:{cle}")
    if figures is None:
        figures = calculer(campagne)
        cache.set(f"synthese:{cle}", figures, fragments.DUREE)
    return figures


def verbatims(campagne: Campagne) -> list[Valeur] | None:
    """The free-text answers (for engineers), or None while the campaign has too few responses."""
    if campagne.reponses.count() < settings.EVALUATION_SEUIL_VERBATIM:
        return None
    # Ordered by question then by the random response id: never by submission order.
    return list(
        Valeur.objects.filter(reponse__campagne=campagne, question__type=TypeQuestion.TEXTE)
        .exclude(texte="")
        .select_related("question")
        .order_by("question__ordre", "reponse_id")
    )
