"""French plurals: the messages are written in French, and French puts 0 and 1 in the singular."""

import re
from pathlib import Path

from django.utils.translation import ngettext, override

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_chaque_message_au_pluriel_a_ses_deux_formes_dans_le_catalogue():
    """An empty plural entry falls back to gettext's default rule, which writes "0 points", "0 jours"."""
    entrees = CATALOGUE.read_text().split("\n\n")
    vides = [e for e in entrees if "msgid_plural" in e and re.search(r'^msgstr\[\d\] ""$(?!\n")', e, re.MULTILINE)]

    assert vides == []
    assert not re.search(r"#, fuzzy\nmsgid \"\"\n", CATALOGUE.read_text()), "header fuzzy: the plural rule is lost"


def test_zero_et_un_au_singulier():
    with override("fr"):
        assert [ngettext("%(n)s point", "%(n)s points", n) % {"n": n} for n in (0, 1, 2)] == [
            "0 point",
            "1 point",
            "2 points",
        ]
