import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from mentorat.demo import MOT_DE_PASSE_DEMO
from mentorat.models import Promotion, Utilisateur


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


@pytest.mark.django_db(transaction=True)
def test_demo_donne_des_comptes_qui_se_connectent_sans_noyer_la_console(client, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    sortie = io.StringIO()

    call_command("demo", stdout=sortie)

    texte = sortie.getvalue()
    assert "Subject:" not in capsys.readouterr().out
    assert "courriels de démonstration générés (non affichés)" in texte
    comptes = [ligne.split()[0] for ligne in texte.splitlines() if "@" in ligne and ligne.startswith("  ")]
    assert "pilote@mentorat.example.fr" in comptes
    assert any(email.startswith("mentore.") for email in comptes)
    assert any(email.startswith("mentor.") for email in comptes)
    mentore = next(email for email in comptes if email.startswith("mentore."))
    assert client.login(username=mentore, password=MOT_DE_PASSE_DEMO)
    assert "Mon binôme" in client.get(reverse("binomes:espace")).content.decode()


@pytest.mark.django_db(transaction=True)  # the e-mails leave on commit
def test_demo_ecrit_ses_courriels_lisibles_dans_le_fichier_et_hache_le_mot_de_passe_une_fois(settings, tmp_path):
    settings.COURRIELS_FICHIER = str(tmp_path / "courriels.txt")
    sortie = io.StringIO()

    call_command("demo", stdout=sortie)

    ecrits = (tmp_path / "courriels.txt").read_text().count("\nObjet : ")
    assert ecrits > 100
    assert f"{ecrits} courriels de démonstration écrits dans {settings.COURRIELS_FICHIER}." in sortie.getvalue()
    # Argon2 takes a fifth of a second by design: ~70 accounts, one hash.
    assert Utilisateur.objects.count() > 60
    assert Utilisateur.objects.values("password").distinct().count() == 1
