"""The engineers' admin of the meetings writes through the services: the referent's alert is never skipped."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from suivi.models import EtatRencontre, Rappel, Rencontre, TypeRappel

from .factories import RencontreFactory
from .test_views import connecter

pytestmark = pytest.mark.django_db


def il_y_a(jours: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=jours)


def _marquer_tenues(client, *rencontres):
    return client.post(
        reverse("admin:suivi_rencontre_changelist"),
        {"action": "marquer_tenues", "_selected_action": [r.pk for r in rencontres]},
        follow=True,
    )


def test_marquer_tenue_dans_l_administration_previent_le_referent_de_l_ecart(
    client, ingenieur, binome, lancement, mailoutbox, django_capture_on_commit_callbacks
):
    # 90 days after the launch, with no meeting held before: more than the eight weeks allowed.
    rencontre = RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=90), etat=EtatRencontre.PREVUE)

    with django_capture_on_commit_callbacks(execute=True):
        _marquer_tenues(connecter(client, ingenieur), rencontre)

    rencontre.refresh_from_db()
    assert (rencontre.etat, rencontre.notee_par) == (EtatRencontre.TENUE, ingenieur)
    assert list(Rappel.objects.values_list("type", "date_reference")) == [(TypeRappel.ECART_DEPASSE, lancement)]
    assert [m.to for m in mailoutbox] == [[binome.referent.email]]


def test_une_rencontre_a_venir_n_est_pas_marquee_tenue(client, ingenieur, binome):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(-3), etat=EtatRencontre.PREVUE)

    reponse = _marquer_tenues(connecter(client, ingenieur), rencontre)

    assert [str(m) for m in reponse.context["messages"]] == ["1 rencontre à venir n'a pas été marquée comme tenue."]
    assert Rencontre.objects.get().etat == EtatRencontre.PREVUE


def test_l_administration_n_ajoute_pas_de_rencontre_et_ne_change_pas_l_etat(client, ingenieur, binome):
    rencontre = RencontreFactory(binome=binome, date=il_y_a(5), etat=EtatRencontre.PREVUE)
    connecter(client, ingenieur)

    assert client.get(reverse("admin:suivi_rencontre_add")).status_code == 403
    page = client.get(reverse("admin:suivi_rencontre_change", args=[rencontre.pk])).content.decode()
    assert 'name="etat"' not in page
    assert 'name="date"' in page


def test_corriger_puis_supprimer_une_rencontre_dans_l_administration(client, ingenieur, binome, lancement):
    rencontre = RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=20))
    autre = RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=50))
    connecter(client, ingenieur)

    client.post(
        reverse("admin:suivi_rencontre_change", args=[rencontre.pk]),
        {"date": (lancement + datetime.timedelta(days=21)).isoformat(), "mode": "visio", "autre_theme": ""},
    )
    rencontre.refresh_from_db()
    assert (rencontre.date, rencontre.mode, rencontre.notee_par) == (
        lancement + datetime.timedelta(days=21),
        "visio",
        ingenieur,
    )

    client.post(reverse("admin:suivi_rencontre_delete", args=[rencontre.pk]), {"post": "yes"})
    client.post(
        reverse("admin:suivi_rencontre_changelist"),
        {"action": "delete_selected", "_selected_action": [autre.pk], "post": "yes"},
    )
    assert not Rencontre.objects.exists()


def test_les_transmissions_se_lisent_sans_s_ecrire_dans_l_administration(client, ingenieur, binome):
    connecter(client, ingenieur)

    assert client.get(reverse("admin:suivi_transmission_changelist")).status_code == 200
    assert client.get(reverse("admin:suivi_transmission_add")).status_code == 403
