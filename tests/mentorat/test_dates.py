"""French dates: the first of the month is written "1er", in Python and in every template."""

import datetime
import re
from pathlib import Path

from django.template import Context, Template

from mentorat.dates import date_fr, mois_abrege

JOUR_EN_LETTRES = re.compile(r'\|date:"[^"]*(?<!\\)j[^"]*F')


def test_le_premier_du_mois_s_ecrit_1er():
    assert date_fr(datetime.date(2026, 12, 1)) == "1er décembre 2026"
    assert date_fr(datetime.date(2026, 12, 2)) == "2 décembre 2026"
    assert date_fr(datetime.date(2027, 4, 1), "l j F Y") == "jeudi 1er avril 2027"


def test_le_filtre_des_gabarits_suit_le_format_et_l_heure_de_paris():
    gabarit = Template('{{ instant|date_fr:"j F Y à H\\hi" }}')
    # 23:30 UTC on 31 December is already the first of January in Paris.
    instant = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)

    assert gabarit.render(Context({"instant": instant})) == "1er janvier 2027 à 00h30"


def test_aucun_gabarit_n_ecrit_un_jour_du_mois_avec_le_filtre_date():
    """`date:"j F"` would write "1 décembre": templates use `date_fr` for dates in words."""
    gabarits = Path(__file__).resolve().parents[2] / "templates"
    fautifs = [
        str(chemin.relative_to(gabarits))
        for chemin in sorted(gabarits.rglob("*"))
        if chemin.suffix in {".html", ".txt"} and JOUR_EN_LETTRES.search(chemin.read_text())
    ]

    assert fautifs == []


def test_le_filtre_ne_rend_rien_pour_une_date_absente():
    assert Template('{{ jour|date_fr:"j F Y" }}').render(Context({"jour": None})) == ""


def test_juin_et_juillet_abreges_ne_se_confondent_pas():
    # The dashboard's month axis: Django's three-letter `M` would write "Jui" for both.
    assert mois_abrege(datetime.date(2027, 6, 15)) == "juin"
    assert mois_abrege(datetime.date(2027, 7, 1)) == "juil."
    assert mois_abrege(datetime.date(2026, 9, 30)) == "sept."
