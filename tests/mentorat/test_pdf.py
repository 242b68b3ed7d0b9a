import io

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from mentorat.pdf import rendre_pdf, url_fetcher
from mentorat.templatetags.css import chaine_css


def _texte(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_francais_avec_accents_et_numeros_de_page():
    pdf = rendre_pdf("pdf/base.html", {"titre": "Synthèse de l'évaluation « à mi-parcours »"})

    texte = _texte(pdf)
    assert "Synthèse de l'évaluation" in texte
    assert "mi-parcours" in texte
    assert "Page 1 sur 1" in texte
    assert "Document généré le" in texte


@pytest.mark.horloges
def test_le_pdf_est_date_a_l_heure_de_paris():
    pdf = rendre_pdf("pdf/base.html", {"titre": "Tableaux de suivi"})

    maintenant = timezone.localtime()
    assert f"Document généré le {date_format(maintenant, 'j F Y')} à {maintenant:%H}h" in _texte(pdf)


def test_le_pdf_ne_va_chercher_aucune_ressource_externe():
    with pytest.raises(ValueError, match="Ressource externe refusée"):
        url_fetcher("http://127.0.0.1:8000/static/css/mentorat.css")


def test_le_pdf_lit_les_fichiers_statiques_sur_le_disque():
    assert b".evaluation-graphique" in url_fetcher("static:css/mentorat.css")["string"]


def test_le_pied_de_page_ecrit_le_titre_tel_quel():
    # Written in a CSS string (the margin box's `content`): CSS reads neither `escapejs`'s \u002D nor HTML's &amp;.
    titre = 'Mes données — Marie-Hélène N\'Diaye « au "CHU" » \\ </style> {a;b} & c'

    pdf = rendre_pdf("pdf/base.html", {"titre": titre})

    pied = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split()).rsplit("Mentorat des directeurs", 1)[1]
    assert pied.strip() == f"{titre} Page 1 sur 1"


@pytest.mark.parametrize(
    ("texte", "ecrit"),
    [
        ("Marie-Hélène", "Marie-Hélène"),
        ('au "CHU"', "au \\22 CHU\\22 "),
        ("N'Diaye \\ fin", "N\\27 Diaye \\5c  fin"),
        ("</style>", "\\3c /style\\3e "),
        ("a;b{c}", "a\\3b b\\7b c\\7d "),
        ("ligne\nsuivante\0", "ligne\\a suivante\ufffd"),
    ],
)
def test_chaine_css(texte, ecrit):
    assert chaine_css(texte) == ecrit
