"""Places and the waiting list: retained within the places, the extras waiting in the committee's order, a freed
place offered to the committee, the committee's page, the applicant's rank in their space."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from binomes import services as binomes
from binomes.models import StatutBinome
from candidatures import places, services
from candidatures.models import Candidature, Orientation, OrientationSuivie, Role, Statut
from mentorat.models import Action, EntreeJournal
from tests.factories import BinomeFactory, CandidatureFactory, MentorFactory, PromotionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def promotion_limitee(db):
    """Applications closed yesterday, the launch day in three weeks: the committee decides, two mentee places."""
    return PromotionFactory(
        est_courante=False,
        ouverture_candidatures=timezone.now() - datetime.timedelta(days=30),
        cloture_candidatures=timezone.now() - datetime.timedelta(days=1),
        journee_lancement=timezone.localdate() + datetime.timedelta(days=21),
        places_mentores=2,
    )


def recevables(promotion, nombre: int, role=Role.MENTORE) -> list[Candidature]:
    fabrique = MentorFactory if role == Role.MENTOR else CandidatureFactory
    return [fabrique.create(promotion=promotion, utilisateur__nom=f"Personne{n}") for n in range(nombre)]


def liste(promotion) -> list[tuple[int, int]]:
    """The waiting list as (pk, rank), in its order."""
    return list(Candidature.objects.filter(promotion=promotion).en_liste_attente().values_list("pk", "rang_attente"))


def statut(candidature) -> str:
    return Candidature.objects.get(pk=candidature.pk).statut


# The committee retains: within the places, then the waiting list in its order.


def test_repartir_retient_dans_la_limite_des_places_et_met_les_suivants_en_attente_dans_l_ordre(
    promotion_limitee, pilote, mailoutbox, apres_commit
):
    a, b, c, d = recevables(promotion_limitee, 4)
    mentor = MentorFactory(promotion=promotion_limitee)

    with apres_commit():
        repartition = places.repartir(promotion=promotion_limitee, candidatures=[c, a, mentor, d, b], par=pilote)

    assert [x.pk for x in repartition.retenues] == [c.pk, a.pk, mentor.pk]
    assert [x.pk for x in repartition.en_attente] == [d.pk, b.pk]
    assert liste(promotion_limitee) == [(d.pk, 1), (b.pk, 2)]
    assert places.places_de(promotion_limitee) == places.Places(total=2, prises=2, en_attente=2, proposees=0)
    attente = {m.to[0]: m for m in mailoutbox if "liste d'attente" in m.subject}
    assert set(attente) == {d.utilisateur.email, b.utilisateur.email}
    assert attente[b.utilisateur.email].subject == (
        f"Mentorat {promotion_limitee.nom} : votre candidature est sur liste d'attente (rang 2)"
    )
    assert "vous êtes au rang 2 de la liste d'attente" in attente[b.utilisateur.email].body


def test_repartir_sans_limite_retient_tout_le_monde(promotion, pilote):
    candidatures = recevables(promotion, 3)

    repartition = places.repartir(promotion=promotion, candidatures=candidatures, par=pilote)

    assert (len(repartition.retenues), repartition.en_attente) == (3, [])


def test_repartir_ne_renvoie_jamais_une_personne_retenue_sur_la_liste(promotion_limitee, pilote):
    a, b, c = recevables(promotion_limitee, 3)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b], par=pilote)

    repartition = places.repartir(promotion=promotion_limitee, candidatures=[a, b, c], par=pilote)

    assert (repartition.retenues, [x.pk for x in repartition.en_attente]) == ([], [c.pk])
    assert (statut(a), statut(b)) == (Statut.RETENUE, Statut.RETENUE)


def test_un_mentor_ne_va_pas_sur_la_liste_d_attente(promotion_limitee, pilote):
    (mentor,) = recevables(promotion_limitee, 1, role=Role.MENTOR)

    with pytest.raises(services.CandidatureRefusee, match="Seules les candidatures de mentorés"):
        services.changer_statut(candidature=mentor, statut=Statut.LISTE_ATTENTE, par=pilote)

    assert statut(mentor) == Statut.RECEVABLE


# A withdrawal before the launch day: the next person is offered to the committee, which confirms.


def test_desistement_avant_le_lancement_propose_la_suivante_et_la_liste_remonte(
    promotion_limitee, pilote, mailoutbox, apres_commit
):
    a, b, c, d, e = recevables(promotion_limitee, 5)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c, d, e], par=pilote)
    mailoutbox.clear()

    with apres_commit():
        services.retirer_candidature(candidature=a, par=a.utilisateur)

    # The next person is offered to the committee, not yet told: the committee confirms.
    c.refresh_from_db()
    assert (c.statut, c.rang_attente, c.place_proposee_le is not None) == (Statut.LISTE_ATTENTE, 1, True)
    assert places.places_de(promotion_limitee).proposees == 1
    au_comite = [m for m in mailoutbox if m.to == [promotion_limitee.email_contact]]
    assert len(au_comite) == 1
    assert f"La personne suivante de la liste d'attente est {c.utilisateur.get_full_name()}, au rang 1." in (
        au_comite[0].body
    )
    assert reverse("candidatures:places", args=[promotion_limitee.pk]) in au_comite[0].body
    assert c.utilisateur.email not in [m.to[0] for m in mailoutbox]
    assert EntreeJournal.objects.filter(action=Action.PLACE_PROPOSEE, objet_id=str(c.pk)).exists()
    mailoutbox.clear()

    with apres_commit():
        places.retenir_depuis_la_liste(candidature=c, par=pilote)

    assert statut(c) == Statut.RETENUE
    assert liste(promotion_limitee) == [(d.pk, 1), (e.pk, 2)]  # the list moved up
    assert [m.to for m in mailoutbox] == [[c.utilisateur.email]]
    assert "une place s'est libérée dans la promotion et le comité vous retient" in mailoutbox[0].body
    assert places.places_de(promotion_limitee) == places.Places(total=2, prises=2, en_attente=2, proposees=0)


def test_desistement_apres_la_cloture_possible_jusqu_au_lancement(promotion_limitee, pilote):
    a, b = recevables(promotion_limitee, 2)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b], par=pilote)
    a.refresh_from_db()
    assert not promotion_limitee.candidatures_ouvertes()

    services.retirer_candidature(candidature=a, par=a.utilisateur)

    assert statut(a) == Statut.RETIREE


def test_pas_de_desistement_en_ligne_apres_la_journee_de_lancement(promotion_limitee, pilote):
    (a,) = recevables(promotion_limitee, 1)
    services.changer_statut(candidature=a, statut=Statut.RETENUE, par=pilote)
    a.refresh_from_db()

    assert a.peut_se_desister(promotion_limitee.journee_lancement - datetime.timedelta(days=1))
    assert not a.peut_se_desister(promotion_limitee.journee_lancement)


def test_quitter_la_liste_fait_remonter_ceux_qui_suivent(promotion_limitee, pilote):
    a, b, c, d, e = recevables(promotion_limitee, 5)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c, d, e], par=pilote)

    services.retirer_candidature(candidature=d, par=d.utilisateur)

    assert liste(promotion_limitee) == [(c.pk, 1), (e.pk, 2)]


def test_non_retenue_apres_le_lancement_ne_propose_personne(promotion_limitee, pilote):
    a, b, c = recevables(promotion_limitee, 3)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c], par=pilote)
    promotion_limitee.journee_lancement = timezone.localdate()
    promotion_limitee.save()

    services.changer_statut(candidature=a, statut=Statut.NON_RETENUE, par=pilote)

    assert Candidature.objects.get(pk=c.pk).place_proposee_le is None


def test_retenir_depuis_la_liste_refuse_sans_place_libre(promotion_limitee, pilote):
    a, b, c = recevables(promotion_limitee, 3)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c], par=pilote)

    with pytest.raises(services.CandidatureRefusee, match="Aucune place n'est libre"):
        places.retenir_depuis_la_liste(candidature=Candidature.objects.get(pk=c.pk), par=pilote)

    assert statut(c) == Statut.LISTE_ATTENTE


# A pair stopped before the launch day frees its mentee's place.


@pytest.fixture
def binome_avant_lancement(promotion_limitee, ingenieur):
    return BinomeFactory(promotion=promotion_limitee, referent=ingenieur, statut=StatutBinome.PROPOSE)


def test_arret_avant_le_lancement_libere_la_place_et_la_liste_remonte(
    promotion_limitee, binome_avant_lancement, ingenieur, pilote, mailoutbox, apres_commit
):
    autre, suivante, derniere = recevables(promotion_limitee, 3)
    places.repartir(promotion=promotion_limitee, candidatures=[autre, suivante, derniere], par=pilote)
    assert liste(promotion_limitee) == [(suivante.pk, 1), (derniere.pk, 2)]
    mailoutbox.clear()

    with apres_commit():
        binomes.enregistrer_arret(binome=binome_avant_lancement, par=ingenieur, date=timezone.localdate())

    assert places.places_de(promotion_limitee) == places.Places(total=2, prises=1, en_attente=2, proposees=1)
    assert Candidature.objects.get(pk=suivante.pk).place_proposee_le is not None
    assert any(m.to == [promotion_limitee.email_contact] for m in mailoutbox)

    places.retenir_depuis_la_liste(candidature=Candidature.objects.get(pk=suivante.pk), par=pilote)

    assert liste(promotion_limitee) == [(derniere.pk, 1)]
    assert places.places_de(promotion_limitee).prises == 2


def test_arret_apres_le_lancement_garde_la_place(promotion_limitee, pilote, ingenieur):
    binome = BinomeFactory(promotion=promotion_limitee, referent=ingenieur, statut=StatutBinome.PROPOSE)
    autre, suivante = recevables(promotion_limitee, 2)
    places.repartir(promotion=promotion_limitee, candidatures=[autre, suivante], par=pilote)

    binomes.enregistrer_arret(binome=binome, par=ingenieur, date=promotion_limitee.journee_lancement)

    assert places.places_de(promotion_limitee).prises == 2
    assert Candidature.objects.get(pk=suivante.pk).place_proposee_le is None


# The committee reorders the list.


def test_deplacer_decale_ceux_d_entre_les_deux_et_se_journalise(promotion_limitee, pilote):
    a, b, c, d, e = recevables(promotion_limitee, 5)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c, d, e], par=pilote)

    places.deplacer(candidature=e, rang=1, par=pilote)

    assert liste(promotion_limitee) == [(e.pk, 1), (c.pk, 2), (d.pk, 3)]
    entree = EntreeJournal.objects.get(action=Action.LISTE_ATTENTE_MODIFIEE)
    assert (entree.objet_id, entree.details) == (str(e.pk), {"avant": 3, "apres": 1})


def test_deplacer_hors_de_la_liste_refuse_en_francais(promotion_limitee, pilote):
    a, b, c = recevables(promotion_limitee, 3)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c], par=pilote)

    with pytest.raises(services.CandidatureRefusee, match="Le rang doit être compris entre 1 et 1"):
        places.deplacer(candidature=c, rang=4, par=pilote)


# Orientation of those not retained: the engineers record whether it was taken up.


def test_orientation_suivie_notee_pour_les_non_retenues_orientees_seulement(promotion, ingenieur):
    orientee, sans_orientation = recevables(promotion, 2)
    services.changer_statut(
        candidature=orientee, statut=Statut.NON_RETENUE, par=ingenieur, orientation=Orientation.ATELIER
    )
    services.changer_statut(candidature=sans_orientation, statut=Statut.NON_RETENUE, par=ingenieur)

    notees = services.noter_orientation_suivie(
        candidatures=Candidature.objects.filter(promotion=promotion), suivie=OrientationSuivie.OUI, par=ingenieur
    )

    assert notees == 1
    assert list(Candidature.objects.order_by("pk").values_list("orientation", "orientation_suivie")) == [
        (Orientation.ATELIER, OrientationSuivie.OUI),
        (Orientation.AUCUNE, OrientationSuivie.INCONNU),
    ]
    entree = EntreeJournal.objects.get(action=Action.ORIENTATION_SUIVIE)
    assert entree.details == {"orientation": "Atelier collectif", "avant": "Inconnu", "apres": "Oui"}


def test_l_action_d_orientation_suivie_est_celle_des_ingenieurs(client, promotion, ingenieur, pilote):
    (orientee,) = recevables(promotion, 1)
    services.changer_statut(
        candidature=orientee, statut=Statut.NON_RETENUE, par=ingenieur, orientation=Orientation.COACHING
    )
    url = reverse("admin:candidatures_candidature_changelist")
    action = {"action": "orientation_suivie_non", "_selected_action": [orientee.pk]}

    client.force_login(pilote)
    assert "orientation_suivie_non" not in client.get(url).content.decode()
    client.force_login(ingenieur)
    client.post(url, action)

    assert Candidature.objects.get(pk=orientee.pk).orientation_suivie == OrientationSuivie.NON


# The committee's screens.


def test_action_retenir_de_l_admin_suit_l_ordre_de_la_liste(client, promotion_limitee, pilote):
    # Sorted by name: Personne0, Personne1, Personne2; the third goes on the waiting list.
    a, b, c = recevables(promotion_limitee, 3)
    client.force_login(pilote)

    reponse = client.post(
        reverse("admin:candidatures_candidature_changelist") + "?o=1",
        {"action": "retenir", "_selected_action": [c.pk, a.pk, b.pk]},
        follow=True,
    )

    assert (statut(a), statut(b), statut(c)) == (Statut.RETENUE, Statut.RETENUE, Statut.LISTE_ATTENTE)
    assert "1 candidature au-delà des places, mise sur la liste d&#x27;attente" in reponse.content.decode()


@pytest.mark.parametrize("en_attente", [1, 12])
def test_page_des_places_en_requetes_constantes(
    client, promotion_limitee, pilote, en_attente, django_assert_max_num_queries
):
    places.repartir(promotion=promotion_limitee, candidatures=recevables(promotion_limitee, 2 + en_attente), par=pilote)
    client.force_login(pilote)

    # Session, user with its groups and second factor; the promotion; the journal's content type (cached after the
    # first test) and entry; the waiting list with its people; the counts: as many for 12 people as for 1.
    with django_assert_max_num_queries(8):
        reponse = client.get(reverse("candidatures:places", args=[promotion_limitee.pk]))

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Occupées : 2" in page and "Libres : 0" in page and f"En attente : {en_attente}" in page


def test_deplacer_un_rang_invalide_garde_la_saisie_et_repond_en_francais(client, promotion_limitee, pilote):
    a, b, c, d = recevables(promotion_limitee, 4)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c, d], par=pilote)
    client.force_login(pilote)

    reponse = client.post(reverse("candidatures:deplacer", args=[d.pk]), {f"{d.pk}-rang": "7"})

    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "Le rang doit être compris entre 1 et 2, la longueur de la liste d&#x27;attente." in page
    assert 'value="7"' in page
    assert liste(promotion_limitee) == [(c.pk, 1), (d.pk, 2)]

    reponse = client.post(reverse("candidatures:deplacer", args=[d.pk]), {f"{d.pk}-rang": "premier"})

    assert reponse.status_code == 400
    assert "Le rang est un nombre entier" in reponse.content.decode()
    assert 'value="premier"' in reponse.content.decode()


def test_deplacer_puis_retenir_depuis_la_page(client, promotion_limitee, pilote):
    a, b, c, d = recevables(promotion_limitee, 4)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c, d], par=pilote)
    client.force_login(pilote)

    client.post(reverse("candidatures:deplacer", args=[d.pk]), {f"{d.pk}-rang": "1"})
    services.retirer_candidature(candidature=a, par=a.utilisateur)
    reponse = client.post(reverse("candidatures:retenir_depuis_la_liste", args=[d.pk]), follow=True)

    assert statut(d) == Statut.RETENUE
    assert liste(promotion_limitee) == [(c.pk, 1)]
    assert "est retenu·e ; la personne en est informée par courriel." in reponse.content.decode()


# The applicant on the list sees their rank, never the others.


def test_la_personne_en_attente_voit_son_rang_et_pas_les_autres(client, promotion_limitee, pilote):
    a, b, c, d = recevables(promotion_limitee, 4)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c, d], par=pilote)
    client.force_login(d.utilisateur)

    page = client.get(reverse("candidatures:mon_espace")).content.decode()

    assert "Vous êtes n° 2 sur la liste d'attente" in page
    assert "Me désister" in page
    assert c.utilisateur.nom not in page
    assert client.get(reverse("candidatures:places", args=[promotion_limitee.pk])).status_code == 403


def test_se_desister_depuis_son_espace_libere_la_place(client, promotion_limitee, pilote):
    a, b, c = recevables(promotion_limitee, 3)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b, c], par=pilote)
    client.force_login(a.utilisateur)

    reponse = client.post(reverse("candidatures:retirer", args=[a.pk]))

    assert reponse.status_code == 302
    assert statut(a) == Statut.RETIREE
    assert Candidature.objects.get(pk=c.pk).place_proposee_le is not None


def test_retenir_depuis_la_fiche_au_dela_des_places_met_en_attente(client, promotion_limitee, pilote):
    a, b, c = recevables(promotion_limitee, 3)
    places.repartir(promotion=promotion_limitee, candidatures=[a, b], par=pilote)
    client.force_login(pilote)

    reponse = client.post(
        reverse("admin:candidatures_candidature_decider", args=[c.pk]), {"statut": "retenue"}, follow=True
    )

    assert liste(promotion_limitee) == [(c.pk, 1)]
    assert "mise sur la liste d&#x27;attente" in reponse.content.decode()
