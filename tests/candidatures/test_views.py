"""The public forms and the applicant's space: what an applicant sees and what is recorded."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from candidatures.eligibilite import date_en_toutes_lettres
from candidatures.jetons import chemin_confirmation
from candidatures.models import Candidature, Statut
from mentorat.models import Utilisateur
from tests.factories import CandidatureFactory, UtilisateurFactory

from .conftest import donnees_mentor, donnees_mentore

pytestmark = pytest.mark.django_db

URL_MENTORE = reverse("candidatures:candidater_mentore")
URL_MENTOR = reverse("candidatures:candidater_mentor")


def test_formulaire_mentore_s_affiche_avec_la_charte(client, promotion):
    reponse = client.get(URL_MENTORE)

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Candidater comme mentoré·e" in contenu
    assert "Charte de déontologie du mentorat" in contenu
    assert "Arrêt anticipé." in contenu


@pytest.mark.horloges
def test_mentore_eligible_candidate_cree_son_compte_et_recoit_l_accuse(client, promotion, mailoutbox, apres_commit):
    with apres_commit():
        reponse = client.post(URL_MENTORE, donnees_mentore(promotion), follow=True)

    assert reponse.redirect_chain == [(reverse("candidatures:mon_espace"), 302)]
    candidature = Candidature.objects.get()
    assert (candidature.role, candidature.statut) == ("mentore", Statut.SOUMISE)
    assert candidature.region == "Nouvelle-Aquitaine"
    assert candidature.utilisateur.email == "aurore.delabarre@ch-exemple.fr"
    assert candidature.utilisateur.email_confirme is False
    assert candidature.utilisateur.check_password("Une-phrase-de-passe-2025")
    assert [m.to for m in mailoutbox] == [["aurore.delabarre@ch-exemple.fr"]]
    assert mailoutbox[0].subject == f"Votre candidature au mentorat, promotion {promotion.nom}"
    assert "Centre hospitalier de Libourne" in mailoutbox[0].body
    cloture = date_format(timezone.localtime(promotion.cloture_candidatures), r"j F Y à H\hi")
    assert f"jusqu'au {cloture} depuis votre espace" in mailoutbox[0].body
    lien = re.search(r"http://\S+/candidature/confirmer/\S+/", mailoutbox[0].body).group()
    assert client.get(lien).status_code == 200
    assert "Centre hospitalier de Libourne" in reponse.content.decode()


def test_lien_de_confirmation_confirme_l_adresse_une_seule_fois(client, promotion):
    client.post(URL_MENTORE, donnees_mentore(promotion))
    utilisateur = Utilisateur.objects.get()
    chemin = chemin_confirmation(utilisateur)

    assert client.get(chemin).status_code == 200
    utilisateur.refresh_from_db()
    assert utilisateur.email_confirme is True
    assert client.get(chemin).status_code == 400


def test_lien_de_confirmation_falsifie_est_refuse(client, utilisateur):
    reponse = client.get(reverse("candidatures:confirmer_email", args=["Zm9v", "faux-jeton"]))

    assert reponse.status_code == 400
    assert "Ce lien n'est pas valide" in reponse.content.decode()


def test_mentor_eligible_candidate(client, promotion, mailoutbox, apres_commit):
    with apres_commit():
        reponse = client.post(URL_MENTOR, donnees_mentor(promotion))

    assert reponse.status_code == 302
    candidature = Candidature.objects.get()
    assert (candidature.role, candidature.postes_direction) == ("mentor", 3)
    assert candidature.debut_fonctions_direction == datetime.date(2005, 3, 1)
    assert len(mailoutbox) == 1


def test_mentor_quatorze_ans_voit_la_regle_et_garde_sa_saisie(client, promotion):
    debut = promotion.date_reference_anciennete.replace(year=promotion.date_reference_anciennete.year - 14)
    donnees = donnees_mentor(promotion, debut_fonctions_direction=debut.isoformat(), motivation="Transmettre <b>!</b>")

    reponse = client.post(URL_MENTOR, donnees)

    assert reponse.status_code == 200
    form = reponse.context["form"]
    au = date_en_toutes_lettres(promotion.date_reference_anciennete)
    assert form.errors["debut_fonctions_direction"] == [f"Il faut au moins 15 ans de fonctions de direction au {au}."]
    contenu = reponse.content.decode()
    assert f'value="{debut.isoformat()}"' in contenu
    assert "Transmettre &lt;b&gt;!&lt;/b&gt;" in contenu
    assert 'value="Centre hospitalier de Libourne"' in contenu
    assert Candidature.objects.count() == 0
    assert Utilisateur.objects.count() == 0


def test_mentore_mauvaise_date_de_premier_poste_refuse(client, promotion):
    autre = promotion.date_premier_poste - datetime.timedelta(days=1)

    reponse = client.post(URL_MENTORE, donnees_mentore(promotion, date_premier_poste=autre.isoformat()))

    assert reponse.status_code == 200
    assert list(reponse.context["form"].errors) == ["date_premier_poste"]
    assert Candidature.objects.count() == 0


def test_corps_inconnu_refuse(client, promotion):
    reponse = client.post(URL_MENTORE, donnees_mentore(promotion, corps="XX"))

    assert reponse.status_code == 200
    assert list(reponse.context["form"].errors) == ["corps"]
    assert Candidature.objects.count() == 0


def test_motivation_trop_longue_refusee(client, promotion):
    reponse = client.post(URL_MENTORE, donnees_mentore(promotion, motivation="a" * 3001))

    assert reponse.context["form"].errors["motivation"] == [
        "Assurez-vous que cette valeur comporte au plus 3000 caractères (actuellement 3001)."
    ]
    assert Candidature.objects.count() == 0


def test_mot_de_passe_trop_faible_refuse(client, promotion):
    reponse = client.post(URL_MENTORE, donnees_mentore(promotion, password1="123", password2="123"))

    assert "password1" in reponse.context["form"].errors
    assert Utilisateur.objects.count() == 0


def test_charte_non_acceptee_refusee(client, promotion):
    donnees = donnees_mentore(promotion)
    del donnees["charte_acceptee"]

    reponse = client.post(URL_MENTORE, donnees)

    assert reponse.context["form"].errors["charte_acceptee"] == [
        "Vous devez accepter la charte de déontologie pour candidater."
    ]


def test_compte_existant_quelle_que_soit_la_casse_demande_de_se_connecter(client, promotion):
    UtilisateurFactory(email="aurore.delabarre@ch-exemple.fr")

    reponse = client.post(URL_MENTORE, donnees_mentore(promotion, email="Aurore.DELABARRE@ch-exemple.fr"))

    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Vous avez déjà un compte" in contenu
    assert f"{reverse('login')}?next={URL_MENTORE}" in contenu
    assert 'value="Centre hospitalier de Libourne"' in contenu
    assert Candidature.objects.count() == 0


def test_utilisateur_connecte_candidate_avec_son_compte(client, promotion, utilisateur):
    client.force_login(utilisateur)
    donnees = donnees_mentore(promotion)
    for champ in ["prenom", "nom", "email", "password1", "password2"]:
        del donnees[champ]

    assert client.post(URL_MENTORE, donnees).status_code == 302
    assert Candidature.objects.get().utilisateur == utilisateur


def test_double_envoi_ne_cree_qu_une_candidature(client, promotion, mailoutbox, apres_commit):
    with apres_commit():
        premier = client.post(URL_MENTORE, donnees_mentore(promotion))
        second = client.post(URL_MENTORE, donnees_mentore(promotion), follow=True)

    assert premier.status_code == 302
    assert second.status_code == 200
    assert "Vous avez déjà déposé une candidature pour cette promotion." in second.content.decode()
    assert Candidature.objects.count() == 1
    assert len(mailoutbox) == 1


def test_deuxieme_onglet_anonyme_demande_de_se_connecter(client, promotion, settings):
    client.post(URL_MENTORE, donnees_mentore(promotion))
    client.logout()

    reponse = client.post(URL_MENTORE, donnees_mentore(promotion))

    assert "Vous avez déjà un compte" in reponse.content.decode()
    assert Candidature.objects.count() == 1


def test_formulaire_ferme_avant_l_ouverture(client, promotion):
    promotion.ouverture_candidatures = timezone.now() + datetime.timedelta(days=2)
    promotion.save()

    reponse = client.post(URL_MENTORE, donnees_mentore(promotion))

    assert reponse.status_code == 200
    assert "ne sont pas encore ouvertes" in reponse.content.decode()
    assert Candidature.objects.count() == 0


def test_formulaire_ferme_apres_la_cloture(client, promotion):
    with time_machine.travel(promotion.cloture_candidatures):
        reponse = client.post(URL_MENTOR, donnees_mentor(promotion))

    assert "sont closes depuis le" in reponse.content.decode()
    assert Candidature.objects.count() == 0


def test_espace_exige_la_connexion(client):
    reponse = client.get(reverse("candidatures:mon_espace"))

    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


def test_espace_montre_la_candidature_et_ses_actions(client, candidat):
    client.force_login(candidat.utilisateur)

    contenu = client.get(reverse("candidatures:mon_espace")).content.decode()

    assert candidat.etablissement in contenu
    assert "Recevable" in contenu
    assert reverse("candidatures:modifier", args=[candidat.pk]) in contenu
    assert reverse("candidatures:retirer", args=[candidat.pk]) in contenu


def test_espace_en_lecture_seule_apres_la_cloture(client, candidat):
    promotion = candidat.promotion
    promotion.cloture_candidatures = timezone.now() - datetime.timedelta(minutes=1)
    promotion.save()
    client.force_login(candidat.utilisateur)

    contenu = client.get(reverse("candidatures:mon_espace")).content.decode()
    modification = client.post(reverse("candidatures:modifier", args=[candidat.pk]), {})

    assert reverse("candidatures:modifier", args=[candidat.pk]) not in contenu
    assert "ne peut plus être modifiée" in contenu
    assert modification.status_code == 302
    candidat.refresh_from_db()
    assert candidat.statut == Statut.RECEVABLE


def test_modifier_sa_candidature(client, promotion):
    client.post(URL_MENTORE, donnees_mentore(promotion))
    candidature = Candidature.objects.get()
    donnees = donnees_mentore(promotion, etablissement="CHU de Bordeaux", departement="64")

    reponse = client.post(reverse("candidatures:modifier", args=[candidature.pk]), donnees)

    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert (candidature.etablissement, candidature.departement) == ("CHU de Bordeaux", "64")


def test_retirer_sa_candidature_envoie_un_courriel(client, candidat, mailoutbox, apres_commit):
    client.force_login(candidat.utilisateur)

    with apres_commit():
        reponse = client.post(reverse("candidatures:retirer", args=[candidat.pk]))

    assert reponse.status_code == 302
    candidat.refresh_from_db()
    assert (candidat.statut, candidat.decide_par) == (Statut.RETIREE, candidat.utilisateur)
    assert mailoutbox[0].subject == f"Mentorat {candidat.promotion.nom} : votre candidature est « Retirée »"


@pytest.mark.parametrize("nom_url", ["candidatures:modifier", "candidatures:retirer"])
def test_candidature_d_autrui_introuvable(client, candidat, nom_url):
    autre = UtilisateurFactory()
    client.force_login(autre)

    assert client.get(reverse(nom_url, args=[candidat.pk])).status_code == 404
    assert client.post(reverse(nom_url, args=[candidat.pk])).status_code == 404
    candidat.refresh_from_db()
    assert candidat.statut == Statut.RECEVABLE


@pytest.mark.parametrize("nombre", [1, 4])
def test_espace_en_nombre_constant_de_requetes(client, utilisateur, nombre, django_assert_num_queries):
    for _ in range(nombre):
        CandidatureFactory(utilisateur=utilisateur, promotion__est_courante=False)
    client.force_login(utilisateur)

    # 1 session, 2 user with its groups (the header's context processor), 3 applications joined to their
    # promotion, 4 their themes (prefetch), 5 current promotion.
    with django_assert_num_queries(5):
        reponse = client.get(reverse("candidatures:mon_espace"))

    assert len(reponse.context["lignes"]) == nombre


def test_formulaire_en_sections_avec_legendes_et_erreurs_liees(client, promotion):
    reponse = client.post(URL_MENTOR, donnees_mentor(promotion, postes_direction="1"))

    contenu = reponse.content.decode()
    for legende in ["Votre compte", "Votre situation professionnelle", "Votre parcours", "Vos attentes"]:
        assert f'<h2 class="fr-h5 fr-mb-0">{legende}</h2></legend>' in contenu
    assert 'class="fr-input" aria-invalid="true" aria-describedby="id_postes_direction-desc-error"' in contenu
    assert '<div id="id_postes_direction-desc-error">' in contenu
    assert "Il faut avoir occupé au moins 2 postes de direction distincts." in contenu


def test_theme_desactive_n_est_plus_propose(client, promotion):
    from candidatures.models import Theme

    Theme.objects.filter(nom="Gestion de crise").update(actif=False)

    contenu = client.get(URL_MENTORE).content.decode()

    assert "Gestion de crise" not in contenu
    assert "Dialogue social" in contenu


def test_premier_poste_obligatoire_et_date_de_la_promotion_annoncee(client, promotion):
    formulaire = client.get(URL_MENTORE).content.decode()
    reponse = client.post(URL_MENTORE, donnees_mentore(promotion, date_premier_poste=""))

    assert "Date de prise de votre premier poste de direction (Optionnel)" not in formulaire
    assert f"prennent leur premier poste le {date_en_toutes_lettres(promotion.date_premier_poste)}." in formulaire
    assert reponse.context["form"].errors["date_premier_poste"] == [
        "Indiquez la date de prise de votre premier poste de direction."
    ]
    assert Candidature.objects.count() == 0


def test_corps_a_choisir_sans_valeur_preselectionnee(client, promotion):
    formulaire = client.get(URL_MENTOR).content.decode()
    reponse = client.post(URL_MENTOR, donnees_mentor(promotion, corps=""))

    assert '<option value="" selected>Sélectionnez votre corps</option>' in formulaire
    assert reponse.context["form"].errors["corps"] == ["Ce champ est obligatoire."]
    assert Candidature.objects.count() == 0


def test_parcours_du_mentor_en_deux_groupes_sans_mention_optionnel(client, promotion):
    contenu = client.get(URL_MENTOR).content.decode()

    assert '<h3 class="fr-h6 fr-mb-0">Si vous êtes DH ou D3S</h3></legend>' in contenu
    assert '<h3 class="fr-h6 fr-mb-0">Si vous êtes directeur ou directrice des soins (DS)</h3></legend>' in contenu
    parcours = contenu[contenu.index('id="fs-parcours"') : contenu.index('id="fs-attentes"')]
    assert "(Optionnel)" not in parcours
    assert '<input type="date" name="debut_fonctions_ds" class="fr-input" aria-describedby' in parcours


def test_mentor_dh_sans_date_de_direction_doit_la_donner(client, promotion):
    reponse = client.post(URL_MENTOR, donnees_mentor(promotion, debut_fonctions_direction=""))

    assert reponse.context["form"].errors["debut_fonctions_direction"] == [
        "Indiquez la date de votre première prise de fonctions de direction."
    ]
    assert Candidature.objects.count() == 0


def test_mentor_ds_eligible_sans_les_champs_des_dh_qui_sont_oublies(client, promotion, il_y_a):
    reference = promotion.date_reference_anciennete
    donnees = donnees_mentor(
        promotion,
        corps="DS",
        debut_exercice_encadrement=il_y_a(reference, 20).isoformat(),
        debut_fonctions_ds=il_y_a(reference, 7).isoformat(),
        debut_fonctions_direction="2000-02-30",
        postes_direction="1",
    )

    reponse = client.post(URL_MENTOR, donnees)

    assert reponse.status_code == 302
    candidature = Candidature.objects.get()
    assert (candidature.corps, candidature.debut_fonctions_ds) == ("DS", il_y_a(reference, 7))
    assert (candidature.debut_fonctions_direction, candidature.postes_direction) == (None, None)


def test_mentor_ds_sans_ses_dates_doit_les_donner(client, promotion):
    reponse = client.post(URL_MENTOR, donnees_mentor(promotion, corps="DS"))

    assert reponse.context["form"].errors == {
        "debut_exercice_encadrement": [
            "Indiquez depuis quand vous exercez en environnement sanitaire avec des fonctions d'encadrement."
        ],
        "debut_fonctions_ds": ["Indiquez depuis quand vous êtes directeur ou directrice des soins."],
    }


def test_regle_d_eligibilite_montree_meme_si_un_autre_champ_manque(client, promotion, il_y_a):
    debut = il_y_a(promotion.date_reference_anciennete, 14)
    donnees = donnees_mentor(promotion, debut_fonctions_direction=debut.isoformat(), motivation="")

    reponse = client.post(URL_MENTOR, donnees)

    erreurs = reponse.context["form"].errors
    assert erreurs["motivation"] == ["Ce champ est obligatoire."]
    assert erreurs["debut_fonctions_direction"][0].startswith("Il faut au moins 15 ans de fonctions de direction")


def test_renvoyer_le_lien_de_confirmation(client, promotion, mailoutbox, apres_commit):
    client.post(URL_MENTORE, donnees_mentore(promotion))
    espace = client.get(reverse("candidatures:mon_espace")).content.decode()

    with apres_commit():
        reponse = client.post(reverse("candidatures:renvoyer_confirmation"), follow=True)

    assert "Recevoir un nouveau lien" in espace
    assert "Un nouveau lien de confirmation a été envoyé à aurore.delabarre@ch-exemple.fr." in reponse.content.decode()
    assert [m.subject for m in mailoutbox] == ["Mentorat : confirmez votre adresse électronique"]
    lien = re.search(r"http://\S+/candidature/confirmer/\S+/", mailoutbox[0].body).group()
    assert client.get(lien).status_code == 200
    assert Utilisateur.objects.get().email_confirme is True


def test_pas_de_nouveau_lien_pour_une_adresse_confirmee(client, candidat, mailoutbox, apres_commit):
    client.force_login(candidat.utilisateur)

    with apres_commit():
        reponse = client.post(reverse("candidatures:renvoyer_confirmation"))

    assert reponse.status_code == 302
    assert mailoutbox == []
    assert "Recevoir un nouveau lien" not in client.get(reverse("candidatures:mon_espace")).content.decode()


def test_renvoyer_le_lien_exige_la_connexion_et_un_post(client, candidat):
    anonyme = client.post(reverse("candidatures:renvoyer_confirmation"))
    client.force_login(candidat.utilisateur)

    assert anonyme.status_code == 302
    assert anonyme.url.startswith(reverse("login"))
    assert client.get(reverse("candidatures:renvoyer_confirmation")).status_code == 405


def test_espace_nomme_le_departement(client, candidat):
    client.force_login(candidat.utilisateur)

    contenu = client.get(reverse("candidatures:mon_espace")).content.decode()

    assert "33 – Gironde, Nouvelle-Aquitaine" in contenu
