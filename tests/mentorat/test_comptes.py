"""Least privilege in the admin: the pilot is no account maker, roles change through the superusers' journaled
« gestion des comptes du comité », and a pair's referent is an engineer."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from binomes import services as binomes
from mentorat.comptes import RoleAuComite
from mentorat.models import GROUPE_INGENIEUR, GROUPE_PILOTE, Action, EntreeJournal, Utilisateur
from mentorat.roles import accorder_permissions
from tests.factories import AppareilTotpFactory, IngenieurFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superutilisateur(db):
    return Utilisateur.objects.create_superuser(
        "admin@cng.example.fr", "Une-phrase-de-passe-2025", prenom="Ad", nom="Min"
    )


def changement(utilisateur) -> str:
    return reverse("admin:mentorat_utilisateur_change", args=[utilisateur.pk])


def test_le_pilote_ne_coche_ni_superutilisateur_ni_groupe_ni_personnel(client, pilote, candidat):
    client.force_login(pilote)
    utilisateur = candidat.utilisateur

    page = client.get(changement(utilisateur)).content.decode()
    client.post(
        changement(utilisateur),
        {"prenom": "Camille", "nom": "Candidate", "is_superuser": "on", "is_staff": "on", "groups": [1, 2]},
    )

    assert 'name="is_superuser"' not in page and 'name="groups"' not in page and 'name="is_staff"' not in page
    utilisateur.refresh_from_db()
    assert (utilisateur.nom, utilisateur.is_superuser, utilisateur.is_staff) == ("Candidate", False, False)
    assert not utilisateur.groups.exists()


def test_le_pilote_ne_touche_pas_au_compte_d_un_ingenieur_ni_au_sien(client, pilote, ingenieur):
    client.force_login(pilote)

    for compte in (ingenieur, pilote):
        assert client.post(changement(compte), {"prenom": "X", "nom": "Y", "is_superuser": "on"}).status_code == 403
    pilote.refresh_from_db()
    assert not pilote.is_superuser


def test_le_pilote_ne_fixe_aucun_mot_de_passe_ni_ne_cree_de_compte(client, pilote, candidat):
    client.force_login(pilote)
    mot_de_passe = reverse("admin:auth_user_password_change", args=[candidat.utilisateur.pk])

    assert client.get(mot_de_passe).status_code == 403
    assert client.get(reverse("admin:mentorat_utilisateur_add")).status_code == 403
    assert mot_de_passe not in client.get(changement(candidat.utilisateur)).content.decode()


def test_la_gestion_des_comptes_du_comite_est_aux_superutilisateurs(client, pilote, ingenieur, superutilisateur):
    url = reverse("admin:mentorat_comptes_du_comite")
    for membre in (pilote, ingenieur):
        client.force_login(membre)
        assert client.get(url).status_code == 403
        assert (
            client.post(reverse("admin:mentorat_comite_role", args=[membre.pk]), {"role": "pilote"}).status_code == 403
        )

    client.force_login(superutilisateur)
    page = client.get(url).content.decode()

    assert ingenieur.email in page and pilote.email in page


def test_un_superutilisateur_change_un_role_et_c_est_journalise(client, superutilisateur, candidat):
    client.force_login(superutilisateur)
    personne = candidat.utilisateur

    client.post(reverse("admin:mentorat_comite_role", args=[personne.pk]), {"role": RoleAuComite.INGENIEUR})

    personne.refresh_from_db()
    assert list(personne.groups.values_list("name", flat=True)) == [GROUPE_INGENIEUR]
    assert personne.is_staff
    entree = EntreeJournal.objects.get(action=Action.ROLE_CHANGE)
    assert (entree.par, entree.objet_id) == (superutilisateur, str(personne.pk))
    assert entree.details == {"avant": "Aucun : pas membre du comité", "apres": "Ingénieur ou ingénieure en mentorat"}

    client.post(reverse("admin:mentorat_comite_role", args=[personne.pk]), {"role": RoleAuComite.AUCUN})

    personne.refresh_from_db()
    assert (personne.is_staff, personne.groups.exists()) == (False, False)


def test_un_superutilisateur_cree_un_compte_du_comite(client, superutilisateur):
    client.force_login(superutilisateur)

    client.post(
        reverse("admin:mentorat_comite_ajouter"),
        {"email": " Nouvelle.Pilote@CNG.example.fr ", "prenom": "Nina", "nom": "Nouvelle", "role": "pilote"},
    )

    compte = Utilisateur.objects.get(email="nouvelle.pilote@cng.example.fr")
    assert not compte.has_usable_password()
    assert list(compte.groups.values_list("name", flat=True)) == [GROUPE_PILOTE]
    assert EntreeJournal.objects.filter(action=Action.COMPTE_CREE, objet_id=str(compte.pk)).exists()


def test_desactiver_et_reinitialiser_le_second_facteur_sont_journalises(client, superutilisateur, ingenieur):
    AppareilTotpFactory(user=ingenieur)
    client.force_login(superutilisateur)

    client.post(reverse("admin:mentorat_comite_second_facteur", args=[ingenieur.pk]))
    client.post(reverse("admin:mentorat_comite_activite", args=[ingenieur.pk]), {"actif": "non"})

    ingenieur.refresh_from_db()
    assert not ingenieur.is_active
    assert not TOTPDevice.objects.filter(user=ingenieur).exists()
    actions = set(EntreeJournal.objects.filter(objet_id=str(ingenieur.pk)).values_list("action", flat=True))
    assert {Action.SECOND_FACTEUR_REINITIALISE, Action.COMPTE_DESACTIVE} <= actions


def test_un_superutilisateur_ne_desactive_pas_son_propre_compte(client, superutilisateur):
    client.force_login(superutilisateur)

    reponse = client.post(
        reverse("admin:mentorat_comite_activite", args=[superutilisateur.pk]), {"actif": "non"}, follow=True
    )

    superutilisateur.refresh_from_db()
    assert superutilisateur.is_active
    assert "propre compte" in reponse.content.decode().replace("&#x27;", "'")


def test_les_droits_des_groupes_sont_exactement_ceux_du_role(db):
    pilote = Group.objects.get(name=GROUPE_PILOTE)
    pilote.permissions.add(Permission.objects.get(codename="add_utilisateur"))

    accorder_permissions()

    codes = set(pilote.permissions.filter(content_type__model="utilisateur").values_list("codename", flat=True))
    assert codes == {"view_utilisateur", "change_utilisateur"}
    assert Group.objects.get(name=GROUPE_INGENIEUR).permissions.filter(codename="view_entreejournal").exists()


def test_le_referent_d_un_binome_est_un_ingenieur(client, pilote, binome):
    client.force_login(pilote)
    mentore = binome.mentore.utilisateur
    formulaire = client.get(reverse("admin:binomes_binome_change", args=[binome.pk])).context["adminform"].form

    client.post(
        reverse("admin:binomes_binome_change", args=[binome.pk]),
        {
            "referent": mentore.pk,
            "engagements-TOTAL_FORMS": 0,
            "engagements-INITIAL_FORMS": 0,
            "engagements-MAX_NUM_FORMS": 1000,
        },
    )

    assert mentore not in formulaire.fields["referent"].queryset
    binome.refresh_from_db()
    assert binome.referent != mentore
    binome.referent = mentore
    with pytest.raises(ValidationError, match="ingénieur ou une ingénieure en mentorat actif"):
        binome.full_clean()
    with pytest.raises(binomes.BinomeRefuse):
        binomes.changer_referent(binome=binome, referent=mentore, par=pilote)


def test_changer_de_referent_est_journalise(pilote, binome):
    autre = IngenieurFactory(prenom="Igor", nom="Ingénieur")

    binomes.changer_referent(binome=binome, referent=autre, par=pilote)

    binome.refresh_from_db()
    assert binome.referent == autre
    entree = EntreeJournal.objects.get(action=Action.BINOME_MODIFIE)
    assert entree.details["referent_apres"] == "Igor Ingénieur"


def test_un_candidat_n_est_jamais_referent_d_une_ligne(pilote, promotion, ingenieur):
    from tests.binomes.conftest import mentor_retenu, mentore_retenu

    mentore_retenu(promotion)
    mentor_retenu(promotion)
    proposition = binomes.proposer_appariement(promotion=promotion, par=pilote)

    with pytest.raises(binomes.AppariementRefuse, match="ingénieur"):
        binomes.modifier_ligne(
            ligne=proposition.lignes.get(), verrouillee=True, referent=UtilisateurFactory(), par=pilote
        )
