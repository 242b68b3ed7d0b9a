"""The programme dashboard, the committee's home page: one promotion in detail, and every promotion side by side.

Project-level wiring, like `urls.py`: it gathers each app's figures (`<app>/chiffres.py`, one grouped query
each) and draws them (`graphiques`). The number of queries is the same for one promotion or twenty, for ten
applications or ten thousand. What could single out a person follows the evaluation's threshold: a breakdown
cell between 1 and `EVALUATION_SEUIL_GROUPE - 1` is shown as « moins de N », never as its figure. The
tracking figures (rhythm, meetings, reminders) are the engineers' only: the pilot's dashboard leaves them out.
"""

import datetime
import itertools
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from binomes import chiffres as chiffres_binomes
from binomes.models import Binome, StatutBinome
from candidatures import chiffres as chiffres_candidatures
from candidatures.departements import Departement, carte, departements
from candidatures.models import Candidature, Orientation, Statut
from evaluation import chiffres as chiffres_evaluation
from evaluation.models import Campagne, Invitation
from suivi import chiffres as chiffres_suivi
from suivi.models import Rappel, Rencontre, TypeRappel

from . import fragments, graphiques, rules
from .dates import date_fr, mois_abrege
from .models import Promotion


def seuil() -> int:
    return settings.EVALUATION_SEUIL_GROUPE


def masquer(nombre: int) -> int | None:
    """`nombre`, or None where it is small enough to point at one person (0 stays 0: it points at nobody)."""
    return None if 0 < nombre < seuil() else nombre


@dataclass
class Ligne:
    """One promotion in the table of every promotion."""

    promotion: Promotion
    deposees: int
    recevables: int
    retenues: int
    binomes: int
    en_attente: int  # mentees on the waiting list
    par_statut: list[int]  # pairs in each StatutBinome, in the enum's order
    rencontres: int | None = None  # engineers only
    rythme: tuple[int, int] | None = None  # (within, followed) today, for a promotion whose year runs
    taux: list[chiffres_evaluation.Taux] = field(default_factory=list)


@dataclass
class Zone:
    departement: Departement
    candidatures: int | None
    membres: int | None


@dataclass
class Programme:
    promotion: Promotion | None
    promotions: list[Promotion]
    pour_les_ingenieurs: bool
    statuts_binome: list[str] = field(default_factory=list)
    lignes: list[Ligne] = field(default_factory=list)
    entonnoir: list[tuple[str, int]] = field(default_factory=list)
    en_attente: int = 0
    binomes_par_etat: list[tuple[str, int]] = field(default_factory=list)
    orientations: list[tuple[str, int | None]] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    taux: list[chiffres_evaluation.Taux] = field(default_factory=list)
    rythme: list[tuple[datetime.date, int, int]] = field(default_factory=list)
    rythme_actuel: tuple[int, int] | None = None
    rencontres_par_mois: list[tuple[datetime.date, int]] = field(default_factory=list)
    rappels: list[tuple[str, int]] = field(default_factory=list)
    graphiques: dict[str, SafeString] = field(default_factory=dict)
    seuil: int = 5
    classes_carte: list[tuple[str, str]] = field(default_factory=list)


def promotion_par_defaut(promotions: list[Promotion], aujourd_hui: datetime.date) -> Promotion | None:
    """The promotion whose year is running (the latest launched), else the current one, else the latest."""
    en_cours = [p for p in promotions if p.journee_lancement <= aujourd_hui <= p.fin]
    if en_cours:
        return max(en_cours, key=lambda p: p.journee_lancement)
    return next((p for p in promotions if p.est_courante), promotions[0] if promotions else None)


def _choisie(promotions: list[Promotion], demandee: str | None, aujourd_hui: datetime.date) -> Promotion | None:
    # Looked up in the list already read: a forged or absurd id costs no query and falls back to the default.
    if demandee and demandee.isdecimal():
        trouvee = next((p for p in promotions if str(p.pk) == demandee.lstrip("0")), None)
        if trouvee:
            return trouvee
    return promotion_par_defaut(promotions, aujourd_hui)


def _lignes(promotions, pour_les_ingenieurs: bool, aujourd_hui: datetime.date) -> list[Ligne]:
    candidatures = chiffres_candidatures.par_promotion_et_statut()
    binomes = chiffres_binomes.par_promotion_et_statut()
    taux = chiffres_evaluation.taux_de_reponse()
    rencontres: Counter[int] = Counter()
    rythmes: dict[int, tuple[int, int]] = {}
    if pour_les_ingenieurs:
        rencontres = chiffres_suivi.rencontres_par_promotion()
        en_cours = [p for p in promotions if p.journee_lancement <= aujourd_hui <= p.fin]
        rythmes = chiffres_suivi.rythme_des_promotions(en_cours, aujourd_hui)
    lignes = []
    for promotion in promotions:
        statuts, paires = candidatures[promotion.pk], binomes[promotion.pk]
        lignes.append(
            Ligne(
                promotion=promotion,
                deposees=sum(statuts.values()),
                recevables=sum(statuts[s] for s in Statut.jugees_recevables()),
                retenues=statuts[Statut.RETENUE],
                en_attente=statuts[Statut.LISTE_ATTENTE],
                binomes=sum(paires.values()),
                par_statut=[paires[s] for s in StatutBinome],
                rencontres=rencontres[promotion.pk] if pour_les_ingenieurs else None,
                rythme=rythmes.get(promotion.pk),
                taux=taux.get(promotion.pk, []),
            )
        )
    return lignes


def _detail(programme: Programme, ligne: Ligne, aujourd_hui: datetime.date) -> None:
    """The selected promotion's figures and pictures."""
    promotion = ligne.promotion
    par_statut = dict(zip(StatutBinome, ligne.par_statut, strict=True))
    programme.entonnoir = [
        (_("Candidatures déposées"), ligne.deposees),
        (_("Jugées recevables"), ligne.recevables),
        (_("Retenues"), ligne.retenues),
        (_("Personnes en binôme"), 2 * ligne.binomes),
        (_("Binômes formés"), ligne.binomes),
        (_("Binômes confirmés"), ligne.binomes - par_statut[StatutBinome.PROPOSE]),
        (_("Binômes actifs"), par_statut[StatutBinome.ACTIF]),
        (_("Binômes terminés"), par_statut[StatutBinome.TERMINE]),
        (_("Binômes arrêtés"), par_statut[StatutBinome.ARRETE]),
    ]
    programme.en_attente = ligne.en_attente
    programme.binomes_par_etat = [(str(s.label), n) for s, n in par_statut.items()]
    orientations = chiffres_candidatures.orientations(promotion)
    programme.orientations = [(str(o.label), masquer(orientations[o])) for o in Orientation]
    candidatures = chiffres_candidatures.par_departement(promotion)
    membres = chiffres_binomes.membres_par_departement(promotion)
    programme.zones = [
        Zone(d, masquer(candidatures[code]), masquer(membres[code]))
        for code, d in departements().items()
        if candidatures[code] or membres[code]
    ]
    programme.taux = ligne.taux
    if programme.pour_les_ingenieurs:
        programme.rythme = chiffres_suivi.rythme(promotion, aujourd_hui)
        programme.rythme_actuel = ligne.rythme
        programme.rencontres_par_mois = chiffres_suivi.rencontres_par_mois(promotion)
        rappels = chiffres_suivi.rappels(promotion)
        programme.rappels = [(str(t.label), rappels[t]) for t in TypeRappel]


def _dessiner(programme: Programme) -> None:
    seuils = [seuil(), 10, 20, 40]
    programme.classes_carte = [
        (graphiques.MASQUE, _("moins de %(n)s") % {"n": seuil()}),
        (graphiques.NUANCES[0], _("aucune")),
        *(
            (graphiques.NUANCES[rang + 1], _("%(de)s à %(a)s") % {"de": de, "a": a - 1})
            for rang, (de, a) in enumerate(itertools.pairwise(seuils))
        ),
        (graphiques.NUANCES[-1], _("%(n)s ou plus") % {"n": seuils[-1]}),
    ]
    dessins = programme.graphiques
    dessins["entonnoir"] = graphiques.barres([(libelle, n, str(n)) for libelle, n in programme.entonnoir])
    dessins["etats"] = graphiques.barres([(libelle, n, str(n)) for libelle, n in programme.binomes_par_etat])
    dessins["orientations"] = graphiques.barres(
        [(libelle, n or 0, str(n) if n is not None else _("moins de %(n)s") % {"n": seuil()})
         for libelle, n in programme.orientations]
    )  # fmt: skip
    dessins["taux"] = graphiques.barres(
        [
            (t.campagne.get_type_display(), t.pourcentage, f"{t.pourcentage} % ({t.reponses}/{t.invitations})")
            for t in programme.taux
        ],
        largeur=640,
        marge=330,
        maximum=100,
    )
    fond = carte()
    dessins["carte_candidatures"] = graphiques.carte(
        fond, {z.departement.code: z.candidatures for z in programme.zones}, seuils, largeur=320
    )
    dessins["carte_binomes"] = graphiques.carte(
        fond, {z.departement.code: z.membres for z in programme.zones}, seuils, largeur=320
    )
    if programme.pour_les_ingenieurs:
        dessins["rythme"] = graphiques.colonnes(
            [
                (f"{date_fr(jour, 'j')} {mois_abrege(jour)}", 100 * temps / suivis if suivis else 0)
                for jour, temps, suivis in programme.rythme
            ],
            pourcentages=True,
        )
        dessins["rencontres"] = graphiques.colonnes(
            [(f"{mois_abrege(mois)} {mois:%y}", n) for mois, n in programme.rencontres_par_mois]
        )


@dataclass
class Choix:
    """What the dashboard's page needs before any figure: the promotions, the one shown, the reader's role."""

    promotions: list[Promotion]
    promotion: Promotion | None
    pour_les_ingenieurs: bool


def choisir(user, demandee: str | None = None) -> Choix:
    """The promotion `demandee` (an id from the query string) or the default, for `user` (one query)."""
    promotions = list(Promotion.objects.order_by("-journee_lancement"))
    return Choix(promotions, _choisie(promotions, demandee, timezone.localdate()), rules.est_ingenieur(user))


def calculer(choix: Choix) -> Programme:
    """Every figure and picture of the dashboard for `choix`."""
    aujourd_hui = timezone.localdate()
    tableau = Programme(
        promotion=choix.promotion,
        promotions=choix.promotions,
        pour_les_ingenieurs=choix.pour_les_ingenieurs,
        statuts_binome=[str(s.label) for s in StatutBinome],
        seuil=seuil(),
    )
    tableau.lignes = _lignes(choix.promotions, tableau.pour_les_ingenieurs, aujourd_hui)
    if tableau.promotion is not None:
        ligne = next(ligne for ligne in tableau.lignes if ligne.promotion == tableau.promotion)
        _detail(tableau, ligne, aujourd_hui)
        _dessiner(tableau)
    return tableau


def programme(user, demandee: str | None = None) -> Programme:
    """Everything the dashboard shows to `user`, for the promotion `demandee` (an id from the query string)."""
    return calculer(choisir(user, demandee))


# Seconds the figures stay cached at most (their key changes with the data anyway).
DUREE_DU_CACHE = 600


def cle_du_cache(choix: Choix) -> str | None:
    """The cache key of the figures shown for `choix`, or None: not cached. It holds everything the figures depend
    on: the promotion shown, the reader's role (the engineers see the tracking figures, nobody else does), the
    day (the rhythm is measured up to today), the language, the threshold of small groups and the data's version."""
    # The tables the figures read: a row inserted, changed or deleted in any of them gives a new key. Those of the
    # accounts and their permissions too: the page's list of every admin page is cached under this key, per reader.
    version = fragments.version_des_donnees(
        Promotion,
        Candidature,
        Binome,
        Rencontre,
        Rappel,
        Campagne,
        Invitation,
        *fragments.tables_des_droits(),
    )
    if version is None:
        return None
    role = "ingenieurs" if choix.pour_les_ingenieurs else "comite"
    promotion = choix.promotion.pk if choix.promotion is not None else "-"
    return f"{promotion}:{role}:{timezone.localdate().isoformat()}:{get_language()}:{seuil()}:{version}"
