"""The pure matching rules: each part of the score, each exclusion, and the optimality of the proposal."""

import io
import itertools
import os
import random

import numpy as np
import pytest
from django.core.management import call_command
from scipy.optimize import linear_sum_assignment

from binomes import appariement as a
from binomes.management.commands.benchmark_appariement import synthetiques


def optimum_par_force_brute(score: np.ndarray, codes: np.ndarray) -> int:
    """The best total score over every one-to-one matching of allowed pairs, by trying them all (factorial time)."""
    n, m = score.shape
    meilleur = 0
    petit, grand = (n, m) if n <= m else (m, n)
    for choix in itertools.permutations(range(grand), petit):
        total = 0
        for rang, autre in enumerate(choix):
            i, j = (rang, autre) if n <= m else (autre, rang)
            if codes[i, j] == a.AUCUNE:
                total += int(score[i, j])
        meilleur = max(meilleur, total)
    return meilleur


POIDS = {"themes": 45, "corps": 20, "distance": 25, "modes": 10}
PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)


def candidats(*personnes: dict, nombre_themes: int = 4) -> a.Candidats:
    """Build one side from short dicts; unspecified fields take neutral values."""
    themes = np.zeros((len(personnes), nombre_themes), dtype=bool)
    for i, p in enumerate(personnes):
        themes[i, list(p.get("themes", []))] = True
    return a.Candidats(
        ids=np.array([p.get("id", 100 + i) for i, p in enumerate(personnes)], dtype=np.int64),
        themes=themes,
        corps=np.array([p.get("corps", "DH") for p in personnes], dtype=str),
        latitudes=np.array([p.get("lieu", PARIS)[0] for p in personnes]),
        longitudes=np.array([p.get("lieu", PARIS)[1] for p in personnes]),
        modes=np.array([p.get("mode", "les_deux") for p in personnes], dtype=str),
        etablissements=[a.normaliser(p.get("etablissement", f"etab {i} {id(p)}")) for i, p in enumerate(personnes)],
        ghts=[a.normaliser(p.get("ght", "")) for p in personnes],
        noms=[a.normaliser(p.get("nom", f"personne {i} {id(p)}")) for i, p in enumerate(personnes)],
        enjeux=[a.normaliser(p.get("enjeux", "")) for p in personnes],
    )


def une_paire(mentore: dict, mentor: dict) -> dict[str, float]:
    return {nom: float(m[0, 0]) for nom, m in a.parts(candidats(mentore), candidats(mentor)).items()}


# --- score parts ---------------------------------------------------------------


def test_themes_part_des_themes_attendus_offerts():
    assert une_paire({"themes": [0, 1, 2, 3]}, {"themes": [1, 3]})["themes"] == 0.5


def test_themes_tous_offerts_vaut_un():
    assert une_paire({"themes": [0, 1]}, {"themes": [0, 1, 2]})["themes"] == 1.0


def test_themes_aucun_commun_vaut_zero():
    assert une_paire({"themes": [0]}, {"themes": [1]})["themes"] == 0.0


def test_themes_mentore_sans_attente_est_servi():
    assert une_paire({"themes": []}, {"themes": [1]})["themes"] == 1.0


def test_corps_identique_vaut_un_et_mixte_zero():
    assert une_paire({"corps": "DS"}, {"corps": "DS"})["corps"] == 1.0
    assert une_paire({"corps": "DS"}, {"corps": "DH"})["corps"] == 0.0


def test_distance_meme_prefecture_vaut_un():
    assert une_paire({"lieu": PARIS}, {"lieu": PARIS})["distance"] == 1.0


def test_distance_paris_lyon_environ_391_km():
    km = a.distances_km(candidats({"lieu": PARIS}), candidats({"lieu": LYON}))[0, 0]
    assert round(float(km)) == 391
    assert une_paire({"lieu": PARIS}, {"lieu": LYON})["distance"] == pytest.approx(
        1 / (1 + (391.5 / 300) ** 2), abs=1e-3
    )


def test_distance_vaut_un_demi_a_300_km():
    # 300 km due north of Paris along a meridian: 300 / 111.195 degrees of latitude.
    nord = (PARIS[0] + 300 / (a.RAYON_TERRE_KM * np.pi / 180), PARIS[1])
    assert une_paire({"lieu": PARIS}, {"lieu": nord})["distance"] == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize(
    ("mode_mentore", "mode_mentor", "attendu"),
    [
        ("presentiel", "presentiel", 1.0),
        ("visio", "visio", 1.0),
        ("presentiel", "visio", 0.0),
        ("visio", "presentiel", 0.0),
        ("les_deux", "visio", 1.0),
        ("presentiel", "les_deux", 1.0),
    ],
)
def test_modes_compatibles(mode_mentore, mode_mentor, attendu):
    assert une_paire({"mode": mode_mentore}, {"mode": mode_mentor})["modes"] == attendu


def test_score_parfait_vaut_100_et_somme_ponderee():
    assert a.scores(candidats({"themes": [0]}), candidats({"themes": [0]}), POIDS)[0, 0] == 100
    # themes 1/2 → 22.5, corps mixed → 0, Paris–Lyon → 25 × 0.3696 = 9.24, modes incompatible → 0.
    score = a.scores(
        candidats({"themes": [0, 1], "lieu": PARIS, "mode": "visio", "corps": "DH"}),
        candidats({"themes": [0], "lieu": LYON, "mode": "presentiel", "corps": "D3S"}),
        POIDS,
    )
    assert score[0, 0] == 32


@pytest.mark.parametrize("graine", range(3))
def test_score_egal_a_la_somme_ponderee_des_parts_arrondie(graine):
    """The score is accumulated part by part in one matrix: the same as its definition, to the unit."""
    rng = np.random.default_rng(graine)
    mentores, mentors = synthetiques(70, rng, "a"), synthetiques(50, rng, "b")

    attendu = np.rint(sum(POIDS[nom] * part for nom, part in a.parts(mentores, mentors).items()))

    np.testing.assert_array_equal(a.scores(mentores, mentors, POIDS), attendu)


@pytest.mark.parametrize("nombre_themes", [0, 5, 12, 20, 70])
def test_score_par_blocs_egal_au_calcul_direct_de_la_definition(nombre_themes):
    """Several blocks of rows, weights not summing to round figures, any number of themes (their bits fill
    one or several words): the same scores as the definition computed over the whole matrix at once."""
    rng = np.random.default_rng(nombre_themes)
    mentores, mentors = synthetiques(300, rng, "a"), synthetiques(1000, rng, "b")
    mentores.themes = rng.random((300, nombre_themes)) < 0.2
    mentors.themes = rng.random((1000, nombre_themes)) < 0.4
    poids = {"themes": 37, "corps": 11, "distance": 43, "modes": 9}
    parts = a.parts(mentores, mentors)
    attendu = np.float32(poids["themes"]) * parts["themes"]
    for nom in ("corps", "distance", "modes"):
        attendu = attendu + np.float32(poids[nom]) * parts[nom]

    score = a.scores(mentores, mentors, poids)

    assert score.dtype == np.int16
    np.testing.assert_array_equal(score, np.rint(attendu))


def test_raisons_en_francais_une_par_critere():
    mentores = candidats({"themes": [0, 1], "lieu": PARIS, "mode": "visio"})
    mentors = candidats({"themes": [0], "lieu": LYON, "mode": "presentiel", "corps": "D3S"})
    assert a.raisons(mentores, mentors, 0, 0, POIDS) == [
        "Thèmes : 1 sur 2 attendus sont proposés par le mentor (22 points).",
        "Corps : binôme mixte (0 point).",
        "Distance : 391 km entre les préfectures (9 points).",
        "Modes de rencontre incompatibles (0 point).",
    ]


# --- exclusions ------------------------------------------------------------------


def codes(mentore: dict, mentor: dict, contraintes: a.Contraintes | None = None) -> int:
    return int(a.exclusions(candidats(mentore), candidats(mentor), contraintes or a.Contraintes())[0, 0])


def test_sans_lien_aucune_exclusion():
    assert codes({"etablissement": "CH A", "ght": "GHT 1"}, {"etablissement": "CH B", "ght": "GHT 2"}) == a.AUCUNE


def test_meme_etablissement_apres_normalisation():
    assert codes({"etablissement": "CHU de Nîmes"}, {"etablissement": "chu  de nimes"}) == a.MEME_ETABLISSEMENT


def test_meme_ght():
    assert codes({"ght": "GHT Cœur Grand Est"}, {"ght": "ght cœur grand est"}) == a.MEME_GHT


def test_ght_vide_n_exclut_pas():
    assert codes({"ght": ""}, {"ght": ""}) == a.AUCUNE


def test_enjeu_declare_par_le_mentore_sur_l_etablissement_du_mentor():
    mentore = {"enjeux": "Je travaille avec le Centre Hospitalier d'Éauze"}
    assert codes(mentore, {"etablissement": "centre hospitalier d'eauze"}) == a.ENJEU_DECLARE


def test_enjeu_declare_par_le_mentor_sur_le_nom_du_mentore():
    assert codes({"nom": "Léa Dufresne"}, {"enjeux": "J'ai évalué LEA DUFRESNE en 2020."}) == a.ENJEU_DECLARE


def test_enjeu_sans_rapport_n_exclut_pas():
    assert codes({"enjeux": "CH de Pau"}, {"etablissement": "CH de Tarbes", "nom": "Jean Martin"}) == a.AUCUNE


def test_enjeux_cherches_par_morceaux_comme_paire_par_paire():
    """Declarants on both sides, the same text declared several times; texts naming establishments, names,
    both or nothing."""
    rng = random.Random(3)

    def texte() -> str:
        return rng.choice(["", "aucun lien", f"ch {rng.randrange(60)}", f"personne {rng.randrange(60)} au ch 7"])

    mentores = candidats(*({"etablissement": f"CH {k}", "nom": f"Personne {k}", "enjeux": texte()} for k in range(600)))
    mentors = candidats(*({"etablissement": f"CH {k}", "nom": f"Personne {k}", "enjeux": texte()} for k in range(40)))

    matrice = np.zeros((len(mentores), len(mentors)), dtype=bool)
    matrice[a._paires_enjeux(mentores, mentors)] = True

    def nomme(texte: str, etablissement: str, nom: str) -> bool:
        return bool(texte) and (etablissement in texte or nom in texte)

    attendu = [
        [
            nomme(g, mentors.etablissements[j], mentors.noms[j])
            or nomme(d, mentores.etablissements[i], mentores.noms[i])
            for j, d in enumerate(mentors.enjeux)
        ]
        for i, g in enumerate(mentores.enjeux)
    ]
    assert matrice.tolist() == attendu
    assert matrice.any() and not matrice.all()


def test_ancien_binome():
    contraintes = a.Contraintes(anciens_binomes={(1, 2)})
    assert codes({"id": 1}, {"id": 2}, contraintes) == a.DEJA_BINOME


def test_exclusion_manuelle():
    contraintes = a.Contraintes(exclusions_manuelles={(1, 2): "Conflit connu"})
    assert codes({"id": 1}, {"id": 2}, contraintes) == a.EXCLUSION_MANUELLE


def test_corps_differents_exclus_si_mixite_interdite():
    assert codes({"corps": "DS"}, {"corps": "DH"}, a.Contraintes(mixte_autorise=False)) == a.CORPS_NON_MIXTE
    assert codes({"corps": "DS"}, {"corps": "DS"}, a.Contraintes(mixte_autorise=False)) == a.AUCUNE
    assert codes({"corps": "DS"}, {"corps": "DH"}, a.Contraintes(mixte_autorise=True)) == a.AUCUNE


def test_deja_apparie_dans_la_promotion_exclut_toute_sa_ligne_ou_sa_colonne():
    mentores = candidats({"id": 1}, {"id": 2})
    mentors = candidats({"id": 10}, {"id": 20})
    contraintes = a.Contraintes(mentores_apparies={1}, mentors_apparies={20})

    assert a.exclusions(mentores, mentors, contraintes).tolist() == [
        [a.DEJA_APPARIE, a.DEJA_APPARIE],
        [a.AUCUNE, a.DEJA_APPARIE],
    ]


def test_exclusions_egales_au_calcul_paire_par_paire():
    """Every reason at once, several on the same pairs: each pair keeps the lowest code, as one would decide it
    looking at the pair alone."""
    rng = random.Random(11)

    def personne(k: int) -> dict:
        return {
            "id": k,
            "corps": rng.choice(["DH", "DS"]),
            "etablissement": f"CH {rng.randrange(8)}",
            "ght": rng.choice(["", f"GHT {rng.randrange(4)}"]),
            "nom": f"Personne {k}",
            "enjeux": rng.choice(["", "", f"ch {rng.randrange(8)}", f"personne {rng.randrange(100, 140)}"]),
        }

    gauche, droite = [personne(k) for k in range(60)], [personne(k) for k in range(100, 140)]
    paires = [(rng.randrange(60), rng.randrange(100, 140)) for _ in range(40)]
    contraintes = a.Contraintes(
        mixte_autorise=False,
        anciens_binomes=set(paires[:20]) | {(999, 100)},
        exclusions_manuelles=dict.fromkeys(paires[10:30], "Conflit"),
        mentores_apparies={3, 4},
        mentors_apparies={120},
    )
    mentores, mentors = candidats(*gauche), candidats(*droite)

    def code(g: dict, d: dict) -> int:
        i, j = g["id"], d["id"]
        enjeu_g, enjeu_d = a.normaliser(g["enjeux"]), a.normaliser(d["enjeux"])
        raisons = [
            a.normaliser(g["etablissement"]) == a.normaliser(d["etablissement"]) and a.MEME_ETABLISSEMENT,
            g["ght"] != "" and a.normaliser(g["ght"]) == a.normaliser(d["ght"]) and a.MEME_GHT,
            bool(enjeu_g)
            and (a.normaliser(d["etablissement"]) in enjeu_g or a.normaliser(d["nom"]) in enjeu_g)
            and a.ENJEU_DECLARE,
            bool(enjeu_d)
            and (a.normaliser(g["etablissement"]) in enjeu_d or a.normaliser(g["nom"]) in enjeu_d)
            and a.ENJEU_DECLARE,
            (i, j) in contraintes.anciens_binomes and a.DEJA_BINOME,
            (i, j) in contraintes.exclusions_manuelles and a.EXCLUSION_MANUELLE,
            g["corps"] != d["corps"] and a.CORPS_NON_MIXTE,
            (i in contraintes.mentores_apparies or j in contraintes.mentors_apparies) and a.DEJA_APPARIE,
        ]
        return min([r for r in raisons if r] or [a.AUCUNE])

    matrice = a.exclusions(mentores, mentors, contraintes)

    assert matrice.dtype == np.int8
    assert matrice.tolist() == [[code(g, d) for d in droite] for g in gauche]
    assert set(np.unique(matrice)) == set(range(a.AUCUNE, a.DEJA_APPARIE + 1))


def test_distances_calculees_par_lieu_egales_au_calcul_paire_par_paire():
    generateur = np.random.default_rng(7)
    lieux = [(float(lat), float(lon)) for lat, lon in generateur.uniform((42, -4), (51, 8), size=(6, 2))]
    mentores = candidats(*({"lieu": lieux[k]} for k in generateur.integers(0, 6, 15)))
    mentors = candidats(*({"lieu": lieux[k]} for k in generateur.integers(0, 6, 9)))

    matrice = a.distances_km(mentores, mentors)

    attendu = [
        [
            a._haversine_km(mentores.latitudes[i], mentores.longitudes[i], mentors.latitudes[j], mentors.longitudes[j])
            for j in range(len(mentors))
        ]
        for i in range(len(mentores))
    ]
    assert matrice.shape == (15, 9)
    np.testing.assert_allclose(matrice, np.array(attendu), rtol=1e-5)


def test_motifs_en_francais():
    assert a.motif_exclusion(a.MEME_GHT) == "Même groupement hospitalier de territoire"
    assert a.motif_exclusion(a.DEJA_APPARIE) == (
        "L'une des deux personnes fait déjà partie d'un binôme validé de cette promotion"
    )


# --- the proposal ---------------------------------------------------------------


def test_proposition_ne_retient_jamais_une_paire_exclue():
    score = np.array([[90, 10], [80, 5]], dtype=np.int16)
    codes_ = np.array([[0, a.MEME_GHT], [a.MEME_GHT, a.MEME_GHT]], dtype=np.int8)
    assert a.proposer(score, codes_) == [(0, 0)]


def test_proposition_prefere_le_total_au_glouton():
    # Greedy would take (0, 0) = 90 then (1, 1) = 0; the optimum is 80 + 70.
    score = np.array([[90, 80], [70, 0]], dtype=np.int16)
    assert a.proposer(score, np.zeros((2, 2), dtype=np.int8)) == [(0, 1), (1, 0)]


def test_proposition_garde_les_lignes_verrouillees():
    score = np.array([[90, 80], [70, 0]], dtype=np.int16)
    assert a.proposer(score, np.zeros((2, 2), dtype=np.int8), verrous=[(0, 0)]) == [(0, 0), (1, 1)]


def test_proposition_plus_de_mentores_que_de_mentors():
    score = np.array([[10], [50], [30]], dtype=np.int16)
    assert a.proposer(score, np.zeros((3, 1), dtype=np.int8)) == [(1, 0)]


@pytest.mark.parametrize("graine", range(40))
def test_proposition_egale_l_optimum_par_force_brute(graine):
    rng = random.Random(graine)
    n, m = rng.randint(1, 6), rng.randint(1, 6)
    generateur = np.random.default_rng(graine)
    score = generateur.integers(0, 101, size=(n, m)).astype(np.int16)
    codes_ = np.where(generateur.random((n, m)) < 0.3, a.MEME_ETABLISSEMENT, a.AUCUNE).astype(np.int8)

    paires = a.proposer(score, codes_)

    assert all(codes_[i, j] == a.AUCUNE for i, j in paires)
    assert len({i for i, _ in paires}) == len(paires) == len({j for _, j in paires})
    assert sum(int(score[i, j]) for i, j in paires) == optimum_par_force_brute(score, codes_)


@pytest.mark.parametrize("graine", range(20))
def test_proposition_avec_verrou_egale_l_optimum_des_autres(graine):
    generateur = np.random.default_rng(1000 + graine)
    n, m = (int(v) for v in generateur.integers(2, 6, size=2))
    score = generateur.integers(0, 101, size=(n, m)).astype(np.int16)
    codes_ = np.where(generateur.random((n, m)) < 0.3, a.MEME_GHT, a.AUCUNE).astype(np.int8)
    verrou = (int(generateur.integers(0, n)), int(generateur.integers(0, m)))
    autres_lignes = [i for i in range(n) if i != verrou[0]]
    autres_colonnes = [j for j in range(m) if j != verrou[1]]

    paires = a.proposer(score, codes_, verrous=[verrou])

    assert verrou in paires
    reste = [(i, j) for i, j in paires if (i, j) != verrou]
    assert all(codes_[i, j] == a.AUCUNE for i, j in reste)
    assert all(i != verrou[0] and j != verrou[1] for i, j in reste)
    sous_score, sous_codes = (
        score[np.ix_(autres_lignes, autres_colonnes)],
        codes_[np.ix_(autres_lignes, autres_colonnes)],
    )
    assert sum(int(score[i, j]) for i, j in reste) == optimum_par_force_brute(sous_score, sous_codes)


def _optimum_de_reference(score: np.ndarray, codes_: np.ndarray) -> tuple[int, int]:
    """The former method: `linear_sum_assignment` alone on the scores, excluded pairs just below nothing."""
    valeurs = np.where(codes_ == a.AUCUNE, score.astype(np.float64), -1.0 / (min(score.shape) + 1))
    rangs, colonnes = linear_sum_assignment(valeurs, maximize=True)
    permises = codes_[rangs, colonnes] == a.AUCUNE
    return int(score[rangs[permises], colonnes[permises]].sum()), int(permises.sum())


@pytest.mark.parametrize(
    ("n", "m", "mixte"), [(150, 150, True), (150, 150, False), (160, 110, True), (110, 160, False), (1, 30, True)]
)
@pytest.mark.parametrize("graine", range(3))
def test_proposition_egale_l_optimum_exact_au_dela_de_la_force_brute(n, m, mixte, graine):
    """Candidates like the benchmark's (scores full of ties, whole corps excluded when mixed pairs are not
    allowed): the prices of the auction change the solver's path, never the total nor the number of pairs."""
    rng = np.random.default_rng(graine)
    mentores, mentors = synthetiques(n, rng, "a"), synthetiques(m, rng, "b")
    score = a.scores(mentores, mentors, POIDS)
    codes_ = a.exclusions(mentores, mentors, a.Contraintes(mixte_autorise=mixte))

    paires = a.proposer(score, codes_)

    assert all(codes_[i, j] == a.AUCUNE for i, j in paires)
    assert len({i for i, _ in paires}) == len(paires) == len({j for _, j in paires})
    assert (sum(int(score[i, j]) for i, j in paires), len(paires)) == _optimum_de_reference(score, codes_)


@pytest.mark.parametrize(("n", "m"), [(1, 1), (3, 5), (600, 700), (700, 700)])
def test_couts_ecrits_sur_les_valeurs_egaux_au_calcul_direct(n, m):
    """The costs overwrite the values they are computed from, by blocks of rows: none is read once overwritten."""
    generateur = np.random.default_rng(n)
    score = generateur.integers(0, 101, size=(n, m)).astype(np.int16)
    codes_ = np.where(generateur.random((n, m)) < 0.3, a.MEME_GHT, a.AUCUNE).astype(np.int8)
    penalite = np.float32(-1.0 / (n + 1))
    prix = generateur.random(m) * 50

    couts, valeurs = a._couts_et_valeurs(score, codes_, penalite)
    np.testing.assert_array_equal(valeurs, np.where(codes_ == a.AUCUNE, score, penalite))
    a._ecrire_couts(couts, valeurs, prix, penalite)

    attendu = np.vstack([prix - np.where(codes_ == a.AUCUNE, score, np.float64(penalite)), np.tile(prix, (m - n, 1))])
    attendu[n:] -= np.float64(penalite)
    np.testing.assert_array_equal(couts, attendu)


def test_proposition_prefere_plus_de_binomes_a_total_egal():
    # Row 0 alone with column 0 (90), or row 0 with column 1 and row 1 with column 0 (90 + 0): two pairs.
    score = np.array([[90, 90], [0, 0]], dtype=np.int16)
    codes_ = np.array([[0, 0], [0, a.MEME_GHT]], dtype=np.int8)

    assert a.proposer(score, codes_) == [(0, 1), (1, 0)]


def test_benchmark_imprime_temps_memoire_et_controle_de_l_optimum():
    sortie = io.StringIO()

    call_command("benchmark_appariement", tailles=[60, 80], stdout=sortie)

    lignes = sortie.getvalue().splitlines()
    assert lignes[0] == "== 60 mentorés × 60 mentors (graine 2024)"
    assert any(ligne.startswith("Affectation optimale : ") and "60 binômes" in ligne for ligne in lignes)
    assert any(ligne.startswith("Pic de mémoire du processus : ") for ligne in lignes)
    assert "== 80 mentorés × 80 mentors (graine 2024)" in lignes
    controles = [ligne for ligne in lignes if ligne.startswith("Contrôle, linear_sum_assignment seul")]
    assert len(controles) == 2 and all(ligne.endswith(", même total") for ligne in controles)


def test_numpy_ne_demande_pas_de_pages_enormes_pour_les_matrices_de_l_appariement():
    """The project's processes start with NumPy's huge pages off (`mentorat/__init__.py`): asking for them made the
    first 4,000 × 4,000 proposal wait over a second for the kernel's memory compaction."""
    from numpy._core import multiarray

    assert os.environ["NUMPY_MADVISE_HUGEPAGE"] == "0"
    assert multiarray._get_madvise_hugepage() is False
