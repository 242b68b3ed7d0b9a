"""The committee's matching screens in the admin: access, the proposal's edits, forged posts, query counts."""

import pytest
from django.urls import reverse

from binomes import services
from binomes.models import Binome, LigneProposition, Proposition, StatutBinome
from candidatures.models import Statut
from tests.factories import MOT_DE_PASSE, PromotionFactory, UtilisateurFactory

from .conftest import mentor_retenu, mentore_retenu

pytestmark = pytest.mark.django_db


@pytest.fixture
def comite(client, pilote):
    client.login(email=pilote.email, password=MOT_DE_PASSE)
    return client


def url(nom, promotion, *args):
    return reverse(f"admin:binomes_{nom}", args=[promotion.pk, *args])


def messages_de(reponse) -> list[str]:
    return [str(m) for m in reponse.context["messages"]]


def test_non_connecte_renvoye_vers_la_connexion(client, promotion):
    reponse = client.get(url("proposition", promotion))

    assert reponse.status_code == 302
    assert "/admin/login/" in reponse.url


def test_staff_hors_comite_403(client, promotion):
    staff = UtilisateurFactory(is_staff=True)
    client.login(email=staff.email, password=MOT_DE_PASSE)

    assert client.get(url("proposition", promotion)).status_code == 403
    assert client.post(url("proposer", promotion)).status_code == 403
    assert not Proposition.objects.exists()


def test_membre_d_un_binome_n_accede_pas(client, promotion, mentor):
    client.login(email=mentor.email, password=MOT_DE_PASSE)

    assert client.get(url("paires", promotion)).status_code == 302


def test_proposer_puis_valider_par_l_ecran(comite, promotion, retenus, ingenieur):
    reponse = comite.post(url("proposer", promotion), follow=True)
    assert "Proposition calculée" in messages_de(reponse)[0]
    assert "Yasmine Yilmaz" in reponse.content.decode()

    reponse = comite.post(url("valider", promotion), {"motif": "Revue du comité du 3 mars"}, follow=True)

    assert messages_de(reponse) == ["Les binômes sont validés ; chaque membre en est informé par courriel."]
    assert sorted(Binome.objects.values_list("statut", "motif_decision")) == [
        (StatutBinome.PROPOSE, "Revue du comité du 3 mars"),
        (StatutBinome.PROPOSE, "Revue du comité du 3 mars"),
    ]


def test_valider_sans_motif_ne_cree_rien(comite, promotion, retenus):
    comite.post(url("proposer", promotion), follow=True)

    reponse = comite.post(url("valider", promotion), {"motif": ""}, follow=True)

    assert messages_de(reponse) == ["Motif de la décision du comité : Indiquez le motif de la décision du comité."]
    assert Binome.objects.count() == 0


def test_ajout_force_d_un_candidat_non_retenu_refuse(comite, promotion, retenus, pilote):
    a, _b, _x, _y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.all().delete()
    non_retenu = mentor_retenu(promotion, statut=Statut.NON_RETENUE, utilisateur__prenom="Noé", utilisateur__nom="Nul")

    reponse = comite.post(url("ajouter", promotion), {"mentore": a.pk, "mentor": non_retenu.pk}, follow=True)

    assert messages_de(reponse) == ["Noé Nul n'est pas un mentor retenu de cette promotion."]
    assert LigneProposition.objects.count() == 0


def test_ajout_force_d_un_candidat_d_une_autre_promotion_refuse(comite, promotion, retenus, pilote):
    a, _b, _x, _y = retenus
    services.proposer_appariement(promotion=promotion, par=pilote).lignes.all().delete()
    ailleurs = mentor_retenu(
        PromotionFactory(est_courante=False), utilisateur__prenom="Ilan", utilisateur__nom="Ailleurs"
    )

    reponse = comite.post(url("ajouter", promotion), {"mentore": a.pk, "mentor": ailleurs.pk}, follow=True)

    assert messages_de(reponse) == ["Ilan Ailleurs n'est pas un mentor retenu de cette promotion."]
    assert LigneProposition.objects.count() == 0


def test_ajout_force_d_une_personne_deja_proposee_refuse(comite, promotion, retenus, pilote):
    a, _b, x, _y = retenus
    services.proposer_appariement(promotion=promotion, par=pilote)

    reponse = comite.post(url("ajouter", promotion), {"mentore": a.pk, "mentor": x.pk}, follow=True)

    assert messages_de(reponse) == [
        "L'une de ces deux personnes figure déjà dans la proposition : retirez d'abord sa ligne."
    ]
    assert LigneProposition.objects.count() == 2


def test_echange_avec_une_ligne_d_une_autre_promotion_refuse(comite, promotion, retenus, pilote):
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    autre = PromotionFactory(est_courante=False)
    mentore_retenu(autre)
    mentor_retenu(autre)
    etrangere = services.proposer_appariement(promotion=autre, par=pilote).lignes.get()
    avant = sorted(proposition.lignes.values_list("mentore_id", "mentor_id"))

    reponse = comite.post(
        url("echanger", promotion), {"lignes": [proposition.lignes.first().pk, etrangere.pk]}, follow=True
    )

    assert messages_de(reponse) == ["Cochez exactement deux lignes de cette proposition à échanger."]
    assert sorted(proposition.lignes.values_list("mentore_id", "mentor_id")) == avant


def test_echanger_retirer_verrouiller(comite, promotion, retenus, pilote, ingenieur):
    a, b, x, y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    ligne_a, ligne_b = proposition.lignes.get(mentore=a), proposition.lignes.get(mentore=b)

    comite.post(url("echanger", promotion), {"lignes": [ligne_a.pk, ligne_b.pk]})
    assert proposition.lignes.get(mentore=a).mentor == x

    ligne_a = proposition.lignes.get(mentore=a)
    comite.post(url("modifier", promotion, ligne_a.pk), {"verrouillee": "on", "referent": ingenieur.pk})
    ligne_a.refresh_from_db()
    assert (ligne_a.verrouillee, ligne_a.referent) == (True, ingenieur)

    comite.post(url("retirer", promotion, proposition.lignes.get(mentore=b).pk))
    assert list(proposition.lignes.values_list("mentore_id", "mentor_id")) == [(a.pk, x.pk)]
    reponse = comite.get(url("proposition", promotion))
    assert "Bruno Bernard" in reponse.content.decode().split('id="laisses-de-cote"')[1]
    assert y.utilisateur.get_full_name() in reponse.content.decode().split('id="laisses-de-cote"')[1]


def test_exclusion_saisie_a_la_main(comite, promotion, retenus):
    a, _b, x, _y = retenus

    reponse = comite.post(
        url("exclure", promotion), {"mentore": a.pk, "mentor": x.pk, "motif": "Lien familial"}, follow=True
    )

    contenu = reponse.content.decode()
    assert "Exclusion décidée par le comité : Lien familial" in contenu


@pytest.mark.parametrize("nombre", [1, 12])
def test_ecran_proposition_nombre_de_requetes_constant(
    comite, promotion, pilote, ingenieur, django_assert_num_queries, nombre
):
    for _rang in range(nombre):
        mentore_retenu(promotion)
        mentor_retenu(promotion)
    services.proposer_appariement(promotion=promotion, par=pilote)
    # session, user with its groups and second factor (committee predicate), promotion, proposition, its
    # lines with people and referents, retained mentees left out, retained mentors left out, engineers by load, the
    # promotion's pairs (no list of apps: the side menu is off, `SiteDuComite.each_context`).
    with django_assert_num_queries(9):
        reponse = comite.get(url("proposition", promotion))
    assert reponse.status_code == 200


@pytest.mark.parametrize("nombre", [1, 12])
def test_ecran_paires_nombre_de_requetes_constant(comite, promotion, django_assert_num_queries, nombre):
    for _rang in range(nombre):
        mentore_retenu(promotion)
        mentor_retenu(promotion)
    # session, user with its groups and second factor, promotion, retained mentees, retained mentors,
    # their themes, earlier pairs, manual exclusions, pairs already validated (matrix), the exclusions listed with
    # their people (no list of apps: the side menu is off).
    with django_assert_num_queries(10):
        reponse = comite.get(url("paires", promotion))
    assert reponse.status_code == 200


def test_liste_et_fiche_d_un_binome_dans_l_admin(comite, binome):
    liste = comite.get(reverse("admin:binomes_binome_changelist"))
    fiche = comite.get(reverse("admin:binomes_binome_change", args=[binome.pk]))

    assert "Appariement des candidats retenus" in liste.content.decode()
    assert fiche.status_code == 200
    assert "motif de la décision du comité" in fiche.content.decode().lower()


def test_un_nom_change_dans_la_liste_des_binomes_se_voit_aussitot_malgre_le_cache(comite, binome):
    liste = reverse("admin:binomes_binome_changelist")
    assert str(binome) in comite.get(liste).content.decode()  # the page's rows, now cached

    personne = binome.mentore.utilisateur
    type(personne).objects.filter(pk=personne.pk).update(nom="Renommée")  # no signal sent

    assert "Renommée" in comite.get(liste).content.decode()


@pytest.mark.parametrize("valeur", ["abc", "1 OR 1=1", "99999999999999999999999"])
def test_echange_force_avec_un_identifiant_invalide_refuse_sans_erreur(comite, promotion, retenus, pilote, valeur):
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    avant = sorted(proposition.lignes.values_list("mentore_id", "mentor_id"))

    reponse = comite.post(url("echanger", promotion), {"lignes": [proposition.lignes.first().pk, valeur]}, follow=True)

    assert reponse.status_code == 200
    assert messages_de(reponse) == ["Cochez exactement deux lignes de cette proposition à échanger."]
    assert sorted(proposition.lignes.values_list("mentore_id", "mentor_id")) == avant


def test_ecran_paires_exclues_en_dernier_et_pagine(comite, promotion, retenus, pilote, settings, monkeypatch):
    a, b, x, y = retenus
    services.exclure(promotion=promotion, mentore=a, mentor=y, motif="Lien familial", par=pilote)
    monkeypatch.setattr("binomes.admin.PAIRES_PAR_PAGE", 3)

    premiere = comite.get(url("paires", promotion)).context["paires"]
    seconde = comite.get(url("paires", promotion) + "?page=2").context["paires"]

    # Anne with Yasmine would score more than with Xavier (same corps), but that pair is excluded: it comes last.
    assert [(p["mentore"], p["mentor"], p["exclusion"]) for p in premiere + seconde] == [
        (a, x, ""),
        (a, y, "Exclusion décidée par le comité : Lien familial"),
        (b, x, ""),
        (b, y, ""),
    ]
    assert len(premiere) == 3


def test_ecran_paires_d_une_promotion_deja_appariee(comite, promotion, retenus, pilote, ingenieur):
    a, _b, x, _y = retenus
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    proposition.lignes.exclude(mentore=a).delete()
    services.valider_proposition(proposition=proposition, par=pilote, motif="Premier binôme")

    reponse = comite.get(url("paires", promotion))

    exclusions = {(p["mentore"].pk, p["mentor"].pk): p["exclusion"] for p in reponse.context["paires"]}
    assert exclusions[(a.pk, x.pk)] == (
        "L'une des deux personnes fait déjà partie d'un binôme validé de cette promotion"
    )
