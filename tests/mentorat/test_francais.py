"""French typography in the templates."""

from django.template import Context, Template


def test_de_s_elide_devant_une_voyelle_ou_un_h_muet():
    # "la ligne d'Elsa Urvoy", as a French reader expects, and "de Bruno Bernard".
    rendu = Template("{% load francais %}{{ a|de }} / {{ b|de }} / {{ c|de }} / {{ d|de }}").render(
        Context({"a": "Elsa Urvoy", "b": "Bruno Bernard", "c": "Émilie Roux", "d": "Hélène Petit"})
    )
    assert rendu == "d&#x27;Elsa Urvoy / de Bruno Bernard / d&#x27;Émilie Roux / d&#x27;Hélène Petit"
