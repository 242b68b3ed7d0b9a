import re

from evaluation.graphiques import LARGEUR, MARGE_LIBELLE, barres

# DejaVu Sans (the PDF's font) at 12 px: digits 0.64 em, space 0.32, brackets 0.39, "%" 0.95;
# 0.7 em a sign on average leaves some room.
LARGEUR_D_UN_SIGNE = 12 * 0.7


def test_barres_proportionnelles_et_annotees():
    svg = str(barres(["1", "2", "3"], [3, 0, 6]))

    largeurs = [int(w) for w in re.findall(r'<rect x="\d+" y="\d+" width="(\d+)"', svg)]
    assert largeurs == [largeurs[2] // 2, 0, largeurs[2]]
    assert re.findall(r"\d+ \(\d+ %\)", svg) == ["3 (33 %)", "0 (0 %)", "6 (67 %)"]
    assert 'aria-hidden="true"' in svg


def test_la_plus_longue_annotation_tient_dans_le_dessin():
    svg = str(barres(["Oui", "Non"], [1600, 0]))

    x, texte = re.search(r'<text x="(\d+)" y="\d+" font-size="12" fill="#161616">([^<]+)</text>', svg).groups()
    assert texte == "1600 (100 %)"
    assert int(x) > MARGE_LIBELLE
    assert int(x) + len(texte) * LARGEUR_D_UN_SIGNE <= LARGEUR
