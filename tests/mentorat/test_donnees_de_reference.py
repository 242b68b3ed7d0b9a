import pytest
from django.core.management import call_command

from binomes.models import Charte
from candidatures.models import Theme
from evaluation.models import Question


@pytest.mark.django_db(transaction=True)
def test_themes_charte_et_questions_reviennent_apres_un_vidage_de_la_base():
    """The committee never faces an empty theme list, charter or questionnaire, even after a flush."""
    call_command("flush", interactive=False, verbosity=0)

    assert Theme.objects.filter(nom="Gestion de crise").exists()
    assert Charte.objects.filter(version=1).exists()
    assert Question.objects.exists()


@pytest.mark.django_db
def test_les_themes_modifies_par_le_comite_sont_laisses_tels_quels():
    Theme.objects.exclude(nom="Gestion de crise").delete()

    call_command("migrate", verbosity=0)

    assert list(Theme.objects.values_list("nom", flat=True)) == ["Gestion de crise"]
