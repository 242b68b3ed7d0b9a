"""The pair's objectives: copied from the mentee's application, revised by the mentee, seen by the pair only;
the themes wished at application that the pair's meetings covered; the past pairs of a returning mentor."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binomes import appariement, services
from binomes.matrice import calculer_matrice
from binomes.models import Binome, StatutBinome
from candidatures.admin import CandidatureResource
from tests.factories import BinomeFactory, CandidatureFactory, PromotionFactory, ThemeFactory
from tests.suivi.factories import RencontreFactory

from .conftest import mentor_retenu, mentore_retenu

pytestmark = pytest.mark.django_db

OBJECTIF = "Trouver ma place dans une équipe de direction"


@pytest.fixture
def binome(promotion, ingenieur):
    return BinomeFactory(promotion=promotion, referent=ingenieur, objectifs=[OBJECTIF], statut=StatutBinome.CONFIRME)


def test_la_validation_copie_les_objectifs_de_la_mentoree(promotion, pilote, ingenieur):
    mentore = mentore_retenu(promotion, objectifs=[OBJECTIF, "Piloter un budget"])
    mentor_retenu(promotion)
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    (binome,) = services.valider_proposition(proposition=proposition, par=pilote, motif="Thèmes communs")

    assert Binome.objects.get(pk=binome.pk).objectifs == [OBJECTIF, "Piloter un budget"]
    assert mentore.objectifs == [OBJECTIF, "Piloter un budget"]  # the application keeps its own


def test_la_mentoree_revise_les_objectifs_du_binome(connecte, binome):
    client = connecte(binome.mentore.utilisateur)
    url = reverse("binomes:modifier_objectifs", args=[binome.pk])

    reponse = client.post(url, {"objectif_1": "  Conduire un projet  ", "objectif_2": "", "objectif_3": "Négocier"})

    assert reponse["Location"] == reverse("binomes:detail", args=[binome.pk])
    binome.refresh_from_db()
    assert binome.objectifs == ["Conduire un projet", "Négocier"]
    contenu = client.get(reverse("binomes:espace")).content.decode()
    assert "Les objectifs du binôme sont enregistrés." in contenu
    assert "Conduire un projet" in contenu


def test_objectif_trop_long_refuse_en_francais_et_saisie_gardee(connecte, binome):
    client = connecte(binome.mentore.utilisateur)

    reponse = client.post(
        reverse("binomes:modifier_objectifs", args=[binome.pk]), {"objectif_1": "x" * 81, "objectif_2": "À garder"}
    )

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Un objectif tient en 80 caractères au plus (81 saisis)." in contenu
    assert 'value="À garder"' in contenu
    assert contenu.count("<title>Erreur") == 1
    binome.refresh_from_db()
    assert binome.objectifs == [OBJECTIF]


def test_le_mentor_lit_les_objectifs_sans_pouvoir_les_changer(connecte, binome):
    client = connecte(binome.mentor.utilisateur)

    contenu = client.get(reverse("binomes:espace")).content.decode()
    reponse = client.post(reverse("binomes:modifier_objectifs", args=[binome.pk]), {"objectif_1": "Autre"})

    assert OBJECTIF in contenu
    assert "Enregistrer les objectifs" not in contenu
    assert reponse.status_code == 404
    binome.refresh_from_db()
    assert binome.objectifs == [OBJECTIF]


def test_des_la_mi_parcours_les_objectifs_ne_se_revisent_plus(connecte, binome):
    promotion = binome.promotion
    promotion.evenement_mi_parcours = timezone.localdate()
    promotion.save()
    client = connecte(binome.mentore.utilisateur)

    contenu = client.get(reverse("binomes:espace")).content.decode()
    reponse = client.post(reverse("binomes:modifier_objectifs", args=[binome.pk]), {"objectif_1": "Autre"})

    assert OBJECTIF in contenu
    assert "Enregistrer les objectifs" not in contenu
    assert reponse.status_code == 404


def test_le_service_refuse_un_binome_clos(binome):
    Binome.objects.filter(pk=binome.pk).update(statut=StatutBinome.ARRETE)

    with pytest.raises(services.BinomeRefuse, match="ne peuvent plus être modifiés"):
        services.modifier_objectifs(binome=binome, par=binome.mentore.utilisateur, objectifs=["Autre"])


@pytest.mark.parametrize("qui", ["referent", "pilote"])
def test_ni_le_referent_ni_le_comite_ne_voient_les_objectifs(client, binome, pilote, qui):
    regard = binome.referent if qui == "referent" else pilote
    client.force_login(regard)
    binome.mentore.objectifs = [OBJECTIF]
    binome.mentore.save()

    pages = [
        reverse("binomes:detail", args=[binome.pk]),
        reverse("admin:binomes_binome_change", args=[binome.pk]),
        reverse("admin:candidatures_candidature_change", args=[binome.mentore.pk]),
    ]
    if qui == "referent":
        pages.append(reverse("suivi:binome", args=[binome.pk]))

    for page in pages:
        reponse = client.get(page)
        assert reponse.status_code == 200, page
        assert OBJECTIF not in reponse.content.decode(), page
    assert not any("objectif" in nom for nom in CandidatureResource().fields)  # nor the committee's export


def test_l_espace_montre_aux_membres_les_themes_souhaites_abordes(connecte, binome, client, pilote):
    aborde, attendu = ThemeFactory(nom="Espace : abordé"), ThemeFactory(nom="Espace : attendu")
    binome.mentore.themes.set([aborde, attendu])
    RencontreFactory(binome=binome, themes=[aborde])

    contenu = connecte(binome.mentor.utilisateur).get(reverse("binomes:espace")).content.decode()
    client.force_login(pilote)
    vu_du_comite = client.get(reverse("binomes:detail", args=[binome.pk])).content.decode()

    assert "1 thème sur les 2 souhaités par la personne mentorée a été abordé" in contenu
    assert "Espace : attendu : <span" in contenu
    assert "souhaités par la personne mentorée" not in vu_du_comite  # the pilot does not see the tracking data


def test_un_mentor_qui_revient_n_est_jamais_propose_a_son_ancien_binome(pilote):
    ancienne = PromotionFactory(est_courante=False, journee_lancement=timezone.localdate() - datetime.timedelta(400))
    ancien = BinomeFactory(promotion=ancienne)
    nouvelle = PromotionFactory()
    mentor = mentor_retenu(nouvelle, utilisateur=ancien.mentor.utilisateur)
    ancienne_mentore = mentore_retenu(nouvelle, utilisateur=ancien.mentore.utilisateur)
    autre = CandidatureFactory(promotion=nouvelle, statut="retenue")

    matrice = calculer_matrice(nouvelle)

    index_mentores, index_mentors = matrice.index()
    colonne = index_mentors[mentor.pk]
    assert matrice.codes[index_mentores[ancienne_mentore.pk], colonne] == appariement.DEJA_BINOME
    assert matrice.codes[index_mentores[autre.pk], colonne] == appariement.AUCUNE
