"""Matching scores, hard exclusions and the optimal proposal: pure numpy, no ORM.

Inputs are plain arrays built from the retained candidates of one promotion
(`binomes.services.candidats_de`). One row per person; mentees index the rows of
every matrix, mentors its columns.

Score (0 to 100) = sum of four weighted parts, each between 0 and 1, the weights
coming from `settings.APPARIEMENT_POIDS` (their sum is 100):

- themes: share of the themes the mentee expects that the mentor offers
  (a mentee who ticked no theme is fully served);
- corps: 1 for the same corps, 0 for a mixed pair (allowed only where the promotion
  allows mixed pairs, otherwise the pair is excluded);
- distance: 1 / (1 + (d / 300 km)²) where d is the great-circle distance between the
  two départements' prefectures: 1 at 0 km, 0.8 at 150 km, 0.5 at 300 km (about the
  limit of a return trip by train in a working day), 0.1 at 900 km;
- modes: 1 when the meeting modes are compatible (same mode, or one of them accepts
  both), else 0.

Hard exclusions make a pair impossible and are never proposed; each carries its
French reason (`motif_exclusion`): same establishment, same GHT, a stake one of them
declared about the other's establishment or name, a pair together in another promotion,
an exclusion recorded by the committee, different corps where the promotion forbids
mixed pairs, and either person already in a validated pair of this promotion.
"""

import unicodedata
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.optimize import linear_sum_assignment

RAYON_TERRE_KM = 6371.0
DISTANCE_MOITIE_KM = 300.0
MODE_LES_DEUX = "les_deux"
LIBRE, RENONCE = -1, -2  # a row's state in the proposal's auction when it holds no column
# Below this many free rows, the auction's rows bid one at a time (`_encheres_une_a_une`).
PEU_DE_LIBRES = 32
# Cells of a matrix (scores, the auction's net values, costs) computed at once: 1 MB of float32, which the
# processor's cache holds, so that the few operations on a block of rows do not each go back to main memory.
CELLULES_PAR_BLOC = 1 << 18

# Exclusion codes in the int8 matrix; 0 means "allowed". The lowest code wins when several apply.
AUCUNE = 0
MEME_ETABLISSEMENT = 1
MEME_GHT = 2
ENJEU_DECLARE = 3
DEJA_BINOME = 4
EXCLUSION_MANUELLE = 5
CORPS_NON_MIXTE = 6
DEJA_APPARIE = 7
# The lowest code is the strongest reason: priority 7 for code 1 … 1 for code 7, 0 for none; and back.
PRIORITE_DU_CODE = {code: DEJA_APPARIE + 1 - code for code in range(MEME_ETABLISSEMENT, DEJA_APPARIE + 1)}
CODE_DE_PRIORITE = np.array([AUCUNE, *range(DEJA_APPARIE, AUCUNE, -1)], dtype=np.int8)


def motif_exclusion(code: int) -> str:
    """The French reason of an exclusion code (manual exclusions carry their own reason as well)."""
    return {
        MEME_ETABLISSEMENT: _("Même établissement"),
        MEME_GHT: _("Même groupement hospitalier de territoire"),
        ENJEU_DECLARE: _("Enjeu professionnel déclaré avec l'autre personne ou son établissement"),
        DEJA_BINOME: _("Déjà en binôme ensemble lors d'une promotion précédente"),
        EXCLUSION_MANUELLE: _("Exclusion décidée par le comité"),
        CORPS_NON_MIXTE: _("Corps différents alors que la promotion n'autorise pas les binômes mixtes"),
        DEJA_APPARIE: _("L'une des deux personnes fait déjà partie d'un binôme validé de cette promotion"),
    }[code]


def normaliser(texte: str) -> str:
    """Lower case, accents stripped, spaces collapsed: « CH  d'Agen » → « ch d'agen »."""
    sans_accents = unicodedata.normalize("NFKD", texte or "")
    sans_accents = "".join(c for c in sans_accents if not unicodedata.combining(c))
    return " ".join(sans_accents.lower().split())


@dataclass
class Candidats:
    """One side of the matching (mentees or mentors), one entry per person, in the same order everywhere."""

    ids: np.ndarray  # int64, the applications' primary keys
    themes: np.ndarray  # bool (n, nombre de thèmes)
    corps: np.ndarray  # str codes
    latitudes: np.ndarray  # degrees
    longitudes: np.ndarray
    modes: np.ndarray  # str, ModeRencontre values
    etablissements: list[str]  # normalised
    ghts: list[str]  # normalised, "" when none
    noms: list[str]  # normalised full names
    enjeux: list[str]  # normalised declared stakes, "" when none

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Contraintes:
    """What the committee and the history add to the candidates' data."""

    mixte_autorise: bool = True
    anciens_binomes: set[tuple[int, int]] = field(default_factory=set)  # (mentee id, mentor id) pairs, any promotion
    exclusions_manuelles: Mapping[tuple[int, int], str] = field(default_factory=dict)  # (mentee id, mentor id) → reason
    # People already in a validated pair of the promotion: the database allows them no second one.
    mentores_apparies: set[int] = field(default_factory=set)
    mentors_apparies: set[int] = field(default_factory=set)


def parts(mentores: Candidats, mentors: Candidats) -> dict[str, np.ndarray]:
    """The four parts of the score, each a float32 (mentees × mentors) matrix between 0 and 1."""
    return {
        "themes": _themes(mentores, mentors),
        "corps": _egaux(mentores.corps, mentors.corps).astype(np.float32),
        "distance": _par_paire(_proximites(mentores, mentors)),
        "modes": _modes_compatibles(mentores, mentors).astype(np.float32),
    }


def scores(mentores: Candidats, mentors: Candidats, poids: Mapping[str, int]) -> np.ndarray:
    """Scores 0–100 (int16 matrix mentees × mentors), rounded to the unit.

    The weighted parts are added in float32, in the order of `parts`, so that the sums, hence the
    roundings, are exactly those of the definition (`parts` stays the reference, which the tests
    compare with). The matrix is computed by blocks of rows small enough to stay in the processor's
    cache: each of the few operations per block then reads and writes cached memory instead of a
    whole 16 M-cell matrix. Every part is read from a small table computed once: the themes part
    from the number of themes in common (bits set in both people's words, counted) and expected;
    corps, distance and modes from a person's corps, place and mode, one row per value the mentees
    take. No matrix product: with a dozen themes, BLAS's threads would spin longer than they compute.
    """
    n, m = len(mentores), len(mentors)
    resultat = np.empty((n, m), dtype=np.int16)
    parts_des_themes, decalages = _table_des_themes(mentores, poids["themes"])
    mots_g, mots_d = _mots_de_themes(mentores.themes), _mots_de_themes(mentors.themes)
    # (table of rows over the mentors, each mentee's row in it), in the order the parts are added.
    tables = [
        _table_par_valeur(mentores.corps, mentors.corps, _egaux, poids["corps"]),
        _table_des_distances(mentores, mentors, poids["distance"]),
        _table_par_valeur(mentores.modes, mentors.modes, _modes_egaux_ou_souples, poids["modes"]),
    ]
    hauteur = max(1, CELLULES_PAR_BLOC // max(m, 1))
    total, ajout = np.empty((hauteur, m), dtype=np.float32), np.empty((hauteur, m), dtype=np.float32)
    communs = np.empty((hauteur, m), dtype=np.uint8 if mentors.themes.shape[1] < 256 else np.uint16)
    et, index = np.empty((hauteur, m), dtype=mots_g.dtype), np.empty((hauteur, m), dtype=np.intp)
    for debut in range(0, n, hauteur):
        lignes = slice(debut, min(debut + hauteur, n))
        h = lignes.stop - debut
        bloc, increment = total[:h], ajout[:h]
        # Themes in common: the bits set in both words, counted; the themes part then read from its table.
        communs[:h] = 0
        for mot in range(mots_g.shape[1]):
            np.bitwise_and(mots_g[lignes, mot, None], mots_d[None, :, mot], out=et[:h])
            communs[:h] += np.bitwise_count(et[:h])
        np.add(communs[:h], decalages[lignes, None], out=index[:h])
        np.take(parts_des_themes, index[:h], out=bloc)
        for table, rangs in tables:
            np.take(table, rangs[lignes], axis=0, out=increment)
            bloc += increment
        resultat[lignes] = np.rint(bloc, out=bloc)
    return resultat


def _mots_de_themes(themes: np.ndarray) -> np.ndarray:
    """Each person's themes as the bits of a few unsigned integers (people × words), the same packing for all."""
    octets = np.packbits(themes, axis=1, bitorder="little")
    largeur = octets.shape[1]
    type_mot = np.dtype(np.uint16 if largeur <= 2 else np.uint32 if largeur <= 4 else np.uint64)
    mots = np.zeros((len(themes), -(-largeur // type_mot.itemsize) * type_mot.itemsize), dtype=np.uint8)
    mots[:, :largeur] = octets
    return mots.view(type_mot)


def _table_des_themes(mentores: Candidats, poids: int) -> tuple[np.ndarray, np.ndarray]:
    """The weighted themes part for k themes in common out of e expected, flat at e × (themes + 1) + k, in
    float32 as `_themes` computes it; and each mentee's offset e × (themes + 1) in that table."""
    nombre = mentores.themes.shape[1]
    communs = np.arange(nombre + 1, dtype=np.float32)
    part = communs[None, :] / np.maximum(communs, 1)[:, None]
    part[0] = 1.0  # a mentee who expects no theme is fully served
    part *= np.float32(poids)
    return part.ravel(), mentores.themes.sum(axis=1) * (nombre + 1)


def _table_par_valeur(gauche: np.ndarray, droite: np.ndarray, relation, poids: int) -> tuple[np.ndarray, np.ndarray]:
    """The weighted part of a criterion that depends on one value per person (corps, mode) as a table.

    Its rows are the distinct values of the mentees, its columns the mentors; with each mentee's row.
    """
    valeurs, index = np.unique(np.asarray(gauche, dtype=str), return_inverse=True)
    table = relation(valeurs, np.asarray(droite, dtype=str)) * np.float32(poids)
    return table.astype(np.float32, copy=False), np.ravel(index)


def _table_des_distances(mentores: Candidats, mentors: Candidats, poids: int) -> tuple[np.ndarray, np.ndarray]:
    """The weighted distance part from each mentees' place (rows) to each mentor (columns), with each mentee's row."""
    proximites, lieux_g, lieux_d = _proximites(mentores, mentors)
    return (np.float32(poids) * proximites)[:, lieux_d], lieux_g


def _themes(mentores: Candidats, mentors: Candidats) -> np.ndarray:
    """Share of each mentee's expected themes that each mentor offers (1 for a mentee who expects none)."""
    attendus = mentores.themes.astype(np.float32)
    part = attendus @ mentors.themes.astype(np.float32).T
    nombre_attendus = attendus.sum(axis=1)
    part /= np.maximum(nombre_attendus, 1)[:, None]
    part[nombre_attendus == 0] = 1.0
    return part


def _modes_compatibles(mentores: Candidats, mentors: Candidats) -> np.ndarray:
    return _modes_egaux_ou_souples(mentores.modes, mentors.modes)


def _modes_egaux_ou_souples(gauche: np.ndarray, droite: np.ndarray) -> np.ndarray:
    """The same mode, or one of the two accepts both."""
    return _egaux(gauche, droite) | (gauche == MODE_LES_DEUX)[:, None] | (droite == MODE_LES_DEUX)[None, :]


def _haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.radians(v) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * RAYON_TERRE_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _entre_lieux(mentores: Candidats, mentors: Candidats) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distances (km, float32) between the distinct places of each side, and each person's place index.

    People share about a hundred prefectures: the trigonometry runs on the distinct places only
    (at most 101 × 101); `_par_paire` then fills the (mentees × mentors) matrix with one gather.
    """
    lieux_g, index_g = np.unique(
        np.column_stack([mentores.latitudes, mentores.longitudes]), axis=0, return_inverse=True
    )
    lieux_d, index_d = np.unique(np.column_stack([mentors.latitudes, mentors.longitudes]), axis=0, return_inverse=True)
    entre_lieux = _haversine_km(lieux_g[:, 0:1], lieux_g[:, 1:2], lieux_d[None, :, 0], lieux_d[None, :, 1])
    return entre_lieux.astype(np.float32), np.ravel(index_g), np.ravel(index_d)


def _par_paire(entre_lieux: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    valeurs, lieux_g, lieux_d = entre_lieux
    return valeurs[lieux_g][:, lieux_d]


def distances_km(mentores: Candidats, mentors: Candidats) -> np.ndarray:
    """Great-circle distance between every mentee's and every mentor's prefecture, in km (float32)."""
    return _par_paire(_entre_lieux(mentores, mentors))


def _proximites(mentores: Candidats, mentors: Candidats) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distance part between distinct places, 1 / (1 + (d / 300 km)²), with each person's place index."""
    km, lieux_g, lieux_d = _entre_lieux(mentores, mentors)
    return 1.0 / (1.0 + (km / DISTANCE_MOITIE_KM) ** 2), lieux_g, lieux_d


def _codes_communs(gauche, droite) -> tuple[np.ndarray, np.ndarray]:
    """The same integer for the same value on both sides: comparing integers is far cheaper than strings."""
    tout = np.concatenate([np.asarray(gauche, dtype=str), np.asarray(droite, dtype=str)])
    _valeurs, inverse = np.unique(tout, return_inverse=True)
    return inverse[: len(gauche)], inverse[len(gauche) :]


def _egaux(gauche, droite) -> np.ndarray:
    a, b = _codes_communs(gauche, droite)
    return a[:, None] == b[None, :]


def _paires_egales(gauche: list[str], droite: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The (mentee, mentor) pairs sharing a non-empty value (an establishment, a GHT), as two index arrays.

    A join on sorted codes rather than a comparison of every pair: such pairs are few (a GHT holds about one
    person in a hundred), and listing them costs their number, not the size of the matrix.
    """
    codes_g, codes_d = _codes_communs(gauche, droite)
    codes_g = np.where(np.asarray(gauche, dtype=str) != "", codes_g, -1)  # -1 matches no mentor's code
    ordre = np.argsort(codes_d, kind="stable")
    tries = codes_d[ordre]
    debuts = np.searchsorted(tries, codes_g, side="left")
    nombres = np.searchsorted(tries, codes_g, side="right") - debuts
    lignes = np.repeat(np.arange(len(codes_g)), nombres)
    # Within each mentee's run of equal codes, the k-th pair takes the k-th mentor of that run.
    rang_dans_la_suite = np.arange(len(lignes)) - np.repeat(np.cumsum(nombres) - nombres, nombres)
    return lignes, ordre[np.repeat(debuts, nombres) + rang_dans_la_suite]


def _paires_enjeux(mentores: Candidats, mentors: Candidats) -> tuple[np.ndarray, np.ndarray]:
    """The (mentee, mentor) pairs where one of the two declared stakes names the other's establishment or
    full name, as two index arrays.

    Each stake is cut into its substrings of the lengths the names have, looked up among the names of the
    other side: a few hundred dictionary look-ups per stake, instead of one search per person of the other side.
    """
    lignes: list[int] = []
    colonnes: list[int] = []
    for declarants, autres, sens in ((mentores, mentors, (lignes, colonnes)), (mentors, mentores, (colonnes, lignes))):
        porteurs: dict[str, list[int]] = {}
        for k, (etablissement, nom) in enumerate(zip(autres.etablissements, autres.noms, strict=True)):
            for texte in {etablissement, nom} - {""}:
                porteurs.setdefault(texte, []).append(k)
        longueurs = sorted({len(texte) for texte in porteurs})
        nommes_par_texte: dict[str, set[int]] = {}
        for d, enjeu in enumerate(declarants.enjeux):
            if not enjeu:
                continue
            if enjeu not in nommes_par_texte:
                morceaux = {enjeu[i : i + n] for n in longueurs for i in range(len(enjeu) - n + 1)}
                nommes_par_texte[enjeu] = {k for texte in morceaux & porteurs.keys() for k in porteurs[texte]}
            nommes = sorted(nommes_par_texte[enjeu])
            sens[0].extend([d] * len(nommes))
            sens[1].extend(nommes)
    return np.array(lignes, dtype=np.intp), np.array(colonnes, dtype=np.intp)


def exclusions(mentores: Candidats, mentors: Candidats, contraintes: Contraintes) -> np.ndarray:
    """Exclusion code of every pair (int8 matrix mentees × mentors), 0 when the pair is possible.

    Each pair keeps its lowest code: the reasons are written from the highest code to the lowest, each
    over the previous ones. All but the corps of non-mixed promotions concern few pairs (or whole rows and
    columns), written by index: the matrix is traversed once, when it is allocated.
    """
    codes = np.zeros((len(mentores), len(mentors)), dtype=np.int8)
    codes[np.isin(mentores.ids, list(contraintes.mentores_apparies))] = DEJA_APPARIE
    codes[:, np.isin(mentors.ids, list(contraintes.mentors_apparies))] = DEJA_APPARIE
    if not contraintes.mixte_autorise:
        np.copyto(codes, np.int8(CORPS_NON_MIXTE), where=~_egaux(mentores.corps, mentors.corps))
    index_mentore = {int(pk): i for i, pk in enumerate(mentores.ids)}
    index_mentor = {int(pk): j for j, pk in enumerate(mentors.ids)}
    for paires, code in (
        (contraintes.exclusions_manuelles, EXCLUSION_MANUELLE),
        (contraintes.anciens_binomes, DEJA_BINOME),
    ):
        presentes = [(index_mentore[g], index_mentor[d]) for g, d in paires if g in index_mentore and d in index_mentor]
        if presentes:
            lignes, colonnes = zip(*presentes, strict=True)
            codes[list(lignes), list(colonnes)] = code
    codes[_paires_enjeux(mentores, mentors)] = ENJEU_DECLARE
    codes[_paires_egales(mentores.ghts, mentors.ghts)] = MEME_GHT
    codes[_paires_egales(mentores.etablissements, mentors.etablissements)] = MEME_ETABLISSEMENT
    return codes


def _detail(mentores: Candidats, mentors: Candidats, i: int, j: int) -> tuple[dict[str, float], int, int, int]:
    """Pair (i, j): each part between 0 and 1, the mentee's expected themes, those the mentor offers, the km."""
    un_mentore, un_mentor = _sous_ensemble(mentores, [i]), _sous_ensemble(mentors, [j])
    p = {nom: float(part[0, 0]) for nom, part in parts(un_mentore, un_mentor).items()}
    attendus = int(mentores.themes[i].sum())
    communs = int((mentores.themes[i] & mentors.themes[j]).sum())
    km = round(float(distances_km(un_mentore, un_mentor)[0, 0]))
    return p, attendus, communs, km


def points(mentores: Candidats, mentors: Candidats, i: int, j: int, poids: Mapping[str, int]) -> dict[str, int]:
    """The points pair (i, j) earns on each criterion (themes, corps, distance, modes), as the reasons say them."""
    p, _attendus, _communs, _km = _detail(mentores, mentors, i, j)
    return {nom: round(poids[nom] * p[nom]) for nom in p}


def raisons(mentores: Candidats, mentors: Candidats, i: int, j: int, poids: Mapping[str, int]) -> list[str]:
    """The French reasons of the score of pair (i, j), one sentence per part, with the points it earns."""
    p, attendus, communs, km = _detail(mentores, mentors, i, j)

    def points(nom: str) -> str:
        nombre = round(poids[nom] * p[nom])
        return ngettext("%(n)s point", "%(n)s points", nombre) % {"n": nombre}

    phrases = [
        _("Thèmes : %(communs)s sur %(attendus)s attendus sont proposés par le mentor (%(points)s).")
        % {"communs": communs, "attendus": attendus, "points": points("themes")}
        if attendus
        else _("Thèmes : aucun thème attendu, critère satisfait (%(points)s).") % {"points": points("themes")},
        (_("Corps : même corps (%(points)s).") if p["corps"] else _("Corps : binôme mixte (%(points)s)."))
        % {"points": points("corps")},
        _("Distance : %(km)s km entre les préfectures (%(points)s).") % {"km": km, "points": points("distance")},
        (
            _("Modes de rencontre compatibles (%(points)s).")
            if p["modes"]
            else _("Modes de rencontre incompatibles (%(points)s).")
        )
        % {"points": points("modes")},
    ]
    return phrases


def _sous_ensemble(candidats: Candidats, index: list[int]) -> Candidats:
    def prendre(liste):
        return [liste[k] for k in index]

    return Candidats(
        ids=candidats.ids[index],
        themes=candidats.themes[index],
        corps=candidats.corps[index],
        latitudes=candidats.latitudes[index],
        longitudes=candidats.longitudes[index],
        modes=candidats.modes[index],
        etablissements=prendre(candidats.etablissements),
        ghts=prendre(candidats.ghts),
        noms=prendre(candidats.noms),
        enjeux=prendre(candidats.enjeux),
    )


def proposer(score: np.ndarray, codes: np.ndarray, verrous: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """The one-to-one assignment maximising the total score, as (mentee row, mentor column) pairs.

    Locked pairs (`verrous`) are kept as they are and their rows and columns are taken out;
    the others are re-optimised with `scipy.optimize.linear_sum_assignment`. Excluded pairs
    are worth slightly less than nothing, so that the solver never prefers one, and are
    dropped from the result: a person whose only possible partners are taken stays unpaired.
    Among assignments of equal total, the one with most pairs wins.

    The side with fewer people gives the rows, and the matrix is made square with rows worth
    the same as an excluded pair (nobody to pair), so that every assignment uses every column
    once. Subtracting a price from each column then changes every assignment's total by the
    same amount: the optimum is the same, and `linear_sum_assignment` stays exact whatever the
    prices. Good prices only make it fast: they come from a short auction (`_prix`), which
    leaves the exact solver few conflicts to settle.
    """
    verrous = list(verrous)
    lignes = np.setdiff1d(np.arange(score.shape[0]), [i for i, _ in verrous])
    colonnes = np.setdiff1d(np.arange(score.shape[1]), [j for _, j in verrous])
    if not len(lignes) or not len(colonnes):
        return sorted(verrous)
    if verrous:
        score, codes = score[np.ix_(lignes, colonnes)], codes[np.ix_(lignes, colonnes)]
    # The side with fewer people as rows: the auction then gives every row a column.
    transposee = score.shape[0] > score.shape[1]
    if transposee:
        score, codes = np.ascontiguousarray(score.T), np.ascontiguousarray(codes.T)
    n = score.shape[0]
    # Integer scores: a penalty below 1/n per excluded pair can never outweigh one point of score.
    penalite = np.float32(-1.0 / (n + 1))
    couts, valeurs = _couts_et_valeurs(score, codes, penalite)
    prix = _prix(valeurs, penalite).astype(np.float64)
    _ecrire_couts(couts, valeurs, prix, penalite)
    del valeurs
    rangs, cols = linear_sum_assignment(couts)
    del couts
    reelles = rangs < n
    rangs, cols = rangs[reelles], cols[reelles]
    retenues = codes[rangs, cols] == AUCUNE
    rangs, cols = rangs[retenues], cols[retenues]
    if transposee:
        rangs, cols = cols, rangs
    choisis = list(zip(lignes[rangs].tolist(), colonnes[cols].tolist(), strict=True))
    return sorted(verrous + choisis)


def _couts_et_valeurs(score: np.ndarray, codes: np.ndarray, penalite: np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The solver's square cost matrix (float64, not yet written) and the pairs' values (float32) in its memory.

    The value of a pair to its row is its score, or the unpaired option (`penalite`) for an excluded pair:
    computed once, for the auction's rounds and then the costs. The values take the second half of the
    costs' memory, which `_ecrire_couts` overwrites row by row only once read: the peak of memory is
    that of the cost matrix alone (128 MB at 4,000 × 4,000), not half as much again.
    """
    n, m = score.shape
    memoire = np.empty(m * m, dtype=np.float64)
    valeurs = memoire.view(np.float32)[2 * m * m - n * m :].reshape(n, m)
    valeurs.fill(penalite)
    np.copyto(valeurs, score, where=codes == AUCUNE)
    return memoire.reshape(m, m), valeurs


def _ecrire_couts(couts: np.ndarray, valeurs: np.ndarray, prix: np.ndarray, penalite: np.float32) -> None:
    """Costs to minimise, price subtracted, in float64 (what the solver works in: the sums stay exact), made
    square by rows of people nobody pairs, worth an excluded pair; over the values, which they overwrite.

    Written by blocks of rows in order: the bytes of cost row i only cover value rows up to i (values are
    half as wide and end where the costs end), so every value row is read before it is overwritten, the
    current block's by numpy itself, which buffers overlapping operands.
    """
    n, m = valeurs.shape
    hauteur = max(1, CELLULES_PAR_BLOC // m)
    for debut in range(0, n, hauteur):
        lignes = slice(debut, min(debut + hauteur, n))
        np.subtract(prix, valeurs[lignes], out=couts[lignes])
    couts[n:] = prix - np.float64(penalite)


def _prix(valeurs: np.ndarray, penalite: np.float32, pas=(3.0, 0.75)) -> np.ndarray:
    """Column prices from an auction (Bertsekas) on the pairs' values (no more rows than columns).

    For each step ε in turn, every row without a column bids for its best column at the current prices,
    raising its price by the gap to the row's second best option plus ε; the highest bid takes the column
    and its previous holder bids again. Staying unpaired is an option worth `penalite` at no price: a row
    whose best column is worth no more gives up. When no row is left to bid, each row's lot is within ε of
    its best: the prices are then close to the optimal dual, which is all `proposer` asks of them.

    While many rows are free they bid all at once, by whole-matrix operations (Jacobi); the long tail of
    evictions, one or a few rows at a time, is bid row after row (Gauss–Seidel), where a round costs one
    row's arithmetic instead of a dozen array operations over every row's state.
    """
    n, m = valeurs.shape
    prix = np.zeros(m, dtype=np.float32)
    for epsilon in pas:
        titulaire, tenue = np.full(m, -1), np.full(n, LIBRE)
        libres = np.arange(n)
        while len(libres) > PEU_DE_LIBRES:
            meilleures, offres = _offres(valeurs, penalite, prix, libres, np.float32(epsilon))
            tenue[libres[meilleures < 0]] = RENONCE
            enchere = meilleures >= 0
            libres, meilleures, offres = libres[enchere], meilleures[enchere], offres[enchere]
            # The highest bid for each column wins it (the lowest row among equal bids).
            ordre = np.argsort(-offres, kind="stable")
            colonnes, premiers = np.unique(meilleures[ordre], return_index=True)
            gagnants = libres[ordre[premiers]]
            evinces = titulaire[colonnes]
            tenue[evinces[evinces >= 0]] = LIBRE
            titulaire[colonnes], tenue[gagnants], prix[colonnes] = gagnants, colonnes, offres[ordre[premiers]]
            libres = np.flatnonzero(tenue == LIBRE)
        _encheres_une_a_une(valeurs, penalite, prix, titulaire, tenue, libres.tolist(), np.float32(epsilon))
    return prix


def _encheres_une_a_une(valeurs, penalite, prix, titulaire, tenue, libres: list[int], epsilon) -> None:
    """The auction's tail: free rows bid one at a time, an evicted holder joining the queue."""
    file = deque(libres)
    nettes = np.empty_like(prix)
    plus_grand = np.maximum.reduce  # the ufunc itself: `ndarray.max` adds a Python wrapper to each of many calls
    while file:
        ligne = file.popleft()
        np.subtract(valeurs[ligne], prix, out=nettes)
        colonne = int(nettes.argmax())
        premiere = nettes[colonne]
        if premiere <= penalite:
            tenue[ligne] = RENONCE
            continue
        nettes[colonne] = -np.inf
        seconde = max(plus_grand(nettes), penalite)
        ancien = int(titulaire[colonne])
        if ancien >= 0:
            tenue[ancien] = LIBRE
            file.append(ancien)
        titulaire[colonne], tenue[ligne] = ligne, colonne
        prix[colonne] += (premiere - seconde) + epsilon


def _offres(valeurs, penalite, prix, libres, epsilon) -> tuple[np.ndarray, np.ndarray]:
    """Each free row's best column at the current prices (-1 if staying unpaired is as good), and its bid.

    By blocks of rows that the processor's cache holds: the net values are written, then searched twice,
    without going back to main memory.
    """
    meilleures = np.empty(len(libres), dtype=np.int64)
    offres = np.empty(len(libres), dtype=np.float32)
    hauteur = max(1, CELLULES_PAR_BLOC // len(prix))
    tampon = np.empty((min(hauteur, len(libres)), len(prix)), dtype=np.float32)
    for debut in range(0, len(libres), hauteur):
        bloc = libres[debut : debut + hauteur]
        nettes = tampon[: len(bloc)]
        np.take(valeurs, bloc, axis=0, out=nettes)
        nettes -= prix
        rang = np.arange(len(bloc))
        meilleure = nettes.argmax(axis=1)
        premiere = nettes[rang, meilleure]
        nettes[rang, meilleure] = -np.inf
        seconde = np.maximum(nettes.max(axis=1), penalite)  # the unpaired option is always there
        meilleures[debut : debut + len(bloc)] = np.where(premiere > penalite, meilleure, -1)
        offres[debut : debut + len(bloc)] = prix[meilleure] + (premiere - seconde) + epsilon
    return meilleures, offres
