"""The signed-in account read with its groups in one query (`mentorat.authentification`), never kept longer than
the request: a change of groups or of the account shows at the next page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from mentorat.authentification import ComptesEtGroupes, compte_et_groupes
from mentorat.models import GROUPE_INGENIEUR, GROUPE_PILOTE
from mentorat.rules import est_ingenieur, est_membre_du_comite, groupes

pytestmark = pytest.mark.django_db


def test_le_compte_vient_avec_ses_groupes_en_une_requete(ingenieur, django_assert_num_queries):
    ingenieur.groups.add(Group.objects.get(name=GROUPE_PILOTE))

    with django_assert_num_queries(1):
        lu = compte_et_groupes(ingenieur.pk)
        assert lu is not None
        assert est_ingenieur(lu)
        assert est_membre_du_comite(lu)
        assert groupes(lu) == sorted([GROUPE_INGENIEUR, GROUPE_PILOTE])


def test_un_compte_sans_groupe_ou_inconnu(utilisateur, django_assert_num_queries):
    with django_assert_num_queries(1):
        lu = compte_et_groupes(utilisateur.pk)
        assert lu is not None
        assert groupes(lu) == []
    assert compte_et_groupes(utilisateur.pk + 1000) is None


def test_un_compte_desactive_n_est_plus_connecte(utilisateur):
    utilisateur.is_active = False
    utilisateur.save()

    assert ComptesEtGroupes().get_user(utilisateur.pk) is None


def test_un_ingenieur_retire_de_son_groupe_le_perd_a_la_page_suivante(client, ingenieur):
    client.force_login(ingenieur)
    assert client.get(reverse("suivi:tableau_de_bord")).status_code == 200

    ingenieur.groups.clear()

    assert client.get(reverse("suivi:tableau_de_bord")).status_code == 403
