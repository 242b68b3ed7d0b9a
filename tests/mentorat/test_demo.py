"""The demo's e-mails, which leave on commit (its figures and idempotence: tests/test_demonstration.py)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentorat.demo import MOT_DE_PASSE_DEMO
from mentorat.models import Utilisateur


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
