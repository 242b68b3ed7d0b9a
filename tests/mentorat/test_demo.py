import io

import pytest
from django.apps import apps
from django.core.management import call_command

from mentorat.models import Promotion


def _comptes():
    return {
        modele._meta.label: modele.objects.count()
        for modele in apps.get_models()
        if modele._meta.app_label in {"mentorat", "candidatures", "binomes", "suivi", "evaluation"}
    }


@pytest.mark.django_db
def test_demo_idempotente_et_candidatures_ouvertes():
    call_command("demo", stdout=io.StringIO())
    premiers = _comptes()

    call_command("demo", stdout=io.StringIO())

    assert _comptes() == premiers
    assert Promotion.objects.courante().candidatures_ouvertes()
    assert premiers["mentorat.Utilisateur"] >= 4
