"""The pair's space: who sees what, the charter, the commitments and the early stop through the pages."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from binomes.models import Binome, Engagement, StatutBinome
from tests.factories import BinomeFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_espace_anonyme_renvoie_vers_la_connexion(client):
    reponse = client.get(reverse("binomes:espace"))

    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


def test_espace_sans_binome_explique(connecte, candidat):
    reponse = connecte(candidat.utilisateur).get(reverse("binomes:espace"))

    assert reponse.status_code == 200
    assert "Vous ne faites partie d'aucun binôme pour l'instant" in reponse.content.decode()


def test_espace_du_mentore_montre_binome_referent_et_calendrier(connecte, binome, mentore):
    reponse = connecte(mentore).get(reverse("binomes:espace"))

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert str(binome.mentor.utilisateur) in contenu
    assert binome.referent.email in contenu
    assert "Journée de lancement" in contenu
    assert "Charte de déontologie" in contenu


@pytest.mark.parametrize("nombre", [1, 5])
def test_espace_nombre_de_requetes_constant(connecte, promotion, ingenieur, django_assert_num_queries, nombre):
    binome = BinomeFactory(promotion=promotion, referent=ingenieur)
    for _rang in range(nombre - 1):
        BinomeFactory(promotion=promotion, referent=ingenieur)
    client = connecte(binome.mentore.utilisateur)
    # session, user with its groups (committee predicate), the version of the tables the page shows (its cache
    # key), the member's latest pair with its people, engagements, the wished themes and whether a held meeting
    # covered each, current charter, the member's questionnaires, then savepoint-free template work.
    with django_assert_num_queries(8):
        client.get(reverse("binomes:espace"))
    # Displayed again, from the cache: session, user with its groups, the version.
    with django_assert_num_queries(3):
        client.get(reverse("binomes:espace"))


def test_intrus_recoit_404_sur_le_binome_d_un_autre(connecte, binome, intrus):
    client = connecte(intrus)

    assert client.get(reverse("binomes:detail", args=[binome.pk])).status_code == 404
    assert client.post(reverse("binomes:signer_charte", args=[binome.pk]), {"signe": "on"}).status_code == 404
    assert client.post(reverse("binomes:demander_arret", args=[binome.pk]), {"motif": "autre"}).status_code == 404
    assert Engagement.objects.count() == 0


def test_referent_voit_le_binome_mais_ne_signe_pas(connecte, binome, ingenieur):
    client = connecte(ingenieur)

    assert client.get(reverse("binomes:detail", args=[binome.pk])).status_code == 200
    assert client.post(reverse("binomes:signer_charte", args=[binome.pk]), {"signe": "on"}).status_code == 404


def test_signer_la_charte(connecte, binome, mentor):
    reponse = connecte(mentor).post(reverse("binomes:signer_charte", args=[binome.pk]), {"signe": "on"}, follow=True)

    assert "Vous avez signé la charte." in reponse.content.decode()
    assert Engagement.objects.get(binome=binome, utilisateur=mentor).charte.version == 1


def test_signer_sans_cocher_affiche_l_erreur_et_n_enregistre_rien(connecte, binome, mentor):
    reponse = connecte(mentor).post(reverse("binomes:signer_charte", args=[binome.pk]), {})

    assert reponse.status_code == 200
    assert "Cochez la case pour signer la charte." in reponse.content.decode()
    assert "<title>Erreur : Mon binôme" in reponse.content.decode()
    assert Engagement.objects.count() == 0


def test_les_deux_confirment_le_binome_devient_confirme(connecte, promotion, ingenieur):
    promotion.ouverture_confirmation = timezone.localdate()  # opened before the launch day by the committee
    promotion.save()
    binome = BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.PROPOSE)
    for membre in binome.membres():
        client = connecte(membre)
        client.post(reverse("binomes:signer_charte", args=[binome.pk]), {"signe": "on"})
        client.post(
            reverse("binomes:confirmer_engagement", args=[binome.pk]), {"absence_enjeux": "on", "engagement": "on"}
        )
        client.logout()

    binome.refresh_from_db()
    assert binome.statut == StatutBinome.CONFIRME


def test_engagement_incomplet_garde_la_saisie(connecte, binome, mentor):
    binome.promotion.ouverture_confirmation = timezone.localdate()
    binome.promotion.save()
    reponse = connecte(mentor).post(reverse("binomes:confirmer_engagement", args=[binome.pk]), {"absence_enjeux": "on"})

    contenu = reponse.content.decode()
    assert "Cochez cette case pour confirmer votre engagement." in contenu
    assert contenu.count("checked") == 1
    assert Engagement.objects.count() == 0


def test_demande_d_arret_previent_le_referent_et_invite_a_une_derniere_rencontre(
    connecte, binome, mentore, ingenieur, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = connecte(mentore).post(
            reverse("binomes:demander_arret", args=[binome.pk]), {"motif": "relation"}, follow=True
        )

    contenu = reponse.content.decode()
    assert "Votre demande d&#x27;arrêt est transmise à votre ingénieur référent." in contenu
    assert "dernière rencontre" in contenu
    assert "questionnaire de fin de binôme" in contenu
    assert [m.to for m in mailoutbox] == [[ingenieur.email], [binome.mentor.utilisateur.email], [mentore.email]]


def test_demande_d_arret_forgee_une_seconde_fois_dit_pourquoi(connecte, binome, mentore, mentor, mailoutbox):
    connecte(mentore).post(reverse("binomes:demander_arret", args=[binome.pk]), {"motif": "relation"})
    mailoutbox.clear()

    reponse = connecte(mentor).post(
        reverse("binomes:demander_arret", args=[binome.pk]), {"motif": "autre"}, follow=True
    )

    assert "L&#x27;arrêt de ce binôme est déjà demandé" in reponse.content.decode()
    binome.refresh_from_db()
    assert (binome.arret_demande_par, binome.motif_arret) == (mentore, "relation")
    assert mailoutbox == []


def test_apres_signature_la_charte_signee_reste_lisible(connecte, binome, mentor):
    client = connecte(mentor)
    client.post(reverse("binomes:signer_charte", args=[binome.pk]), {"signe": "on"})

    contenu = client.get(reverse("binomes:espace")).content.decode()

    assert "Relire la charte que vous avez signée (version 1)" in contenu
    assert 'id="texte-charte"' in contenu
    assert "Signer la charte" not in contenu


def test_demande_d_arret_sans_motif(connecte, binome, mentore):
    reponse = connecte(mentore).post(reverse("binomes:demander_arret", args=[binome.pk]), {"motif": "n-importe"})

    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    binome.refresh_from_db()
    assert binome.arret_demande_le is None


def test_utilisateur_quelconque_404(connecte, binome):
    assert connecte(UtilisateurFactory()).get(reverse("binomes:detail", args=[binome.pk])).status_code == 404


def test_espace_ids_uniques_et_fieldsets_legendes(connecte, binome, mentor):
    contenu = connecte(mentor).get(reverse("binomes:espace")).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', contenu)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    assert contenu.count("<legend") >= 3
    assert "<script>" not in contenu
    assert "<style" not in contenu


def test_le_comite_atteint_la_page_du_binome_depuis_l_admin(connecte, binome, pilote):
    client = connecte(pilote)

    fiche = client.get(reverse("admin:binomes_binome_change", args=[binome.pk])).content.decode()

    assert reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Binome).pk, binome.pk]) in fiche
    assert client.get(binome.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("nom", "donnees"),
    [
        ("binomes:signer_charte", {"signe": "on"}),
        ("binomes:confirmer_engagement", {"absence_enjeux": "on", "engagement": "on"}),
    ],
)
def test_s_engager_dans_un_binome_arrete_entre_temps_dit_pourquoi(connecte, binome, mentor, nom, donnees):
    """The page was open before the referent recorded the stop: the form is refused with the reason."""
    Binome.objects.filter(pk=binome.pk).update(statut=StatutBinome.ARRETE)

    reponse = connecte(mentor).post(reverse(nom, args=[binome.pk]), donnees, follow=True)

    assert "Ce binôme est clos." in reponse.content.decode()
    assert Engagement.objects.count() == 0
