"""The matching screen laid out for the decision: referents balanced with the locked lines, engineers only,
unconfirmed addresses left out, a pair's reasons as sentences, the screen's filters and totals."""

import pytest
from django.urls import reverse

from binomes import services
from binomes.models import Binome, LigneProposition
from mentorat.models import Utilisateur
from tests.factories import BinomeFactory, IngenieurFactory, PiloteFactory

from .conftest import mentor_retenu, mentore_retenu

pytestmark = pytest.mark.django_db


@pytest.fixture
def comite(client, pilote):
    client.force_login(pilote)
    return client


def _paires(promotion, nombre):
    for n in range(nombre):
        mentore_retenu(promotion, departement="33", etablissement=f"CH mentoré {n}")
        mentor_retenu(promotion, departement="33", etablissement=f"CH mentor {n}")


def test_la_suggestion_de_referent_compte_les_lignes_verrouillees(promotion, pilote):
    """Two engineers; the committee locked two lines with Amélie: the three new lines go to Bertrand twice."""
    amelie = IngenieurFactory(nom="Amélie")
    bertrand = IngenieurFactory(nom="Bertrand")
    _paires(promotion, 5)
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    for ligne in proposition.lignes.order_by("pk")[:2]:
        services.modifier_ligne(ligne=ligne, verrouillee=True, referent=amelie, par=pilote)

    proposition = services.proposer_appariement(promotion=promotion, par=pilote)

    charge = {i: proposition.lignes.filter(referent=i).count() for i in (amelie, bertrand)}
    assert charge == {amelie: 2, bertrand: 3} or charge == {amelie: 3, bertrand: 2}
    assert abs(charge[amelie] - charge[bertrand]) == 1


def test_la_validation_repartit_les_lignes_sans_referent_en_comptant_les_autres(promotion, pilote):
    amelie = IngenieurFactory(nom="Amélie")
    IngenieurFactory(nom="Bertrand")
    _paires(promotion, 4)
    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    lignes = list(proposition.lignes.order_by("pk"))
    for ligne in lignes[:2]:
        services.modifier_ligne(ligne=ligne, verrouillee=True, referent=amelie, par=pilote)
    LigneProposition.objects.filter(pk__in=[lignes[2].pk, lignes[3].pk]).update(referent=None)

    binomes = services.valider_proposition(proposition=proposition, par=pilote, motif="Revu en comité.")

    assert sorted(b.referent.nom for b in binomes) == ["Amélie", "Amélie", "Bertrand", "Bertrand"]


def test_un_referent_qui_n_est_pas_ingenieur_est_refuse_avec_un_message(comite, promotion, pilote):
    IngenieurFactory()
    _paires(promotion, 1)
    ligne = services.proposer_appariement(promotion=promotion, par=pilote).lignes.get()
    avant = ligne.referent_id

    reponse = comite.post(
        reverse("admin:binomes_modifier", args=[promotion.pk, ligne.pk]), {"referent": pilote.pk}, follow=True
    )

    assert "Le référent doit être un ingénieur ou une ingénieure en mentorat actif." in reponse.content.decode()
    assert LigneProposition.objects.get(pk=ligne.pk).referent_id == avant


def test_la_fiche_d_un_binome_refuse_un_referent_non_ingenieur(comite, binome, mentor):
    url = reverse("admin:binomes_binome_change", args=[binome.pk])

    reponse = comite.post(
        url, {"referent": mentor.pk, "engagements-TOTAL_FORMS": "0", "engagements-INITIAL_FORMS": "0"}
    )

    assert reponse.status_code == 200
    assert "Le référent doit être un ingénieur ou une ingénieure en mentorat actif." in reponse.content.decode()
    assert Binome.objects.get(pk=binome.pk).referent_id == binome.referent_id


def test_le_filtre_par_referent_liste_chaque_ingenieur_une_fois(comite, promotion):
    ingenieurs = IngenieurFactory.create_batch(3)
    for ingenieur in ingenieurs:
        BinomeFactory.create_batch(2, promotion=promotion, referent=ingenieur)
    PiloteFactory(nom="Pilotebis")

    reponse = comite.get(reverse("admin:binomes_binome_changelist"))

    filtre = next(f for f in reponse.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "referent")
    assert [libelle for _valeur, libelle in filtre.lookup_choices] == [
        str(i) for i in Utilisateur.objects.ingenieurs().order_by("nom", "prenom", "pk")
    ]
    assert len(filtre.lookup_choices) == 3


@pytest.mark.parametrize("valeur", ["\x00", "abc", "99999999999999999999"])
def test_le_filtre_par_referent_forge_ne_casse_rien(comite, valeur):
    reponse = comite.get(reverse("admin:binomes_binome_changelist"), {"referent": valeur})

    # A NUL byte in any address is refused before the page (mentorat.middleware.EntreesIllisiblesMiddleware).
    assert reponse.status_code in ((400,) if valeur == "\x00" else (200, 302))


def test_la_fiche_d_un_binome_donne_ses_raisons_en_phrases(comite, binome):
    Binome.objects.filter(pk=binome.pk).update(raisons=["Corps : même corps (20 points).", "Distance : 0 km."])

    contenu = comite.get(reverse("admin:binomes_binome_change", args=[binome.pk])).content.decode()

    assert "<ul><li>Corps : même corps (20 points).</li><li>Distance : 0 km.</li></ul>" in contenu
    assert "[&quot;" not in contenu


def test_une_adresse_non_confirmee_reste_hors_de_la_proposition(comite, promotion, pilote):
    IngenieurFactory()
    _paires(promotion, 1)
    inconnu = mentore_retenu(
        promotion, departement="33", utilisateur__email_confirme=False, utilisateur__nom="Sansadresse"
    )

    proposition = services.proposer_appariement(promotion=promotion, par=pilote)
    page = comite.get(reverse("admin:binomes_proposition", args=[promotion.pk])).content.decode()
    mentor = mentor_retenu(promotion, departement="64")
    ajout = comite.post(
        reverse("admin:binomes_ajouter", args=[promotion.pk]), {"mentore": inconnu.pk, "mentor": mentor.pk}, follow=True
    )

    assert inconnu.pk not in proposition.lignes.values_list("mentore", flat=True)
    assert "Sansadresse" in page
    assert "adresse non confirmée : hors proposition" in page
    assert "pas encore confirmée" in ajout.content.decode()
    assert not proposition.lignes.filter(mentore=inconnu).exists()


def test_l_ecran_d_appariement_filtre_et_totalise(comite, promotion, pilote):
    IngenieurFactory()
    _paires(promotion, 3)
    mentore_retenu(promotion, departement="29", region="Bretagne", corps="DS", etablissement="CHU de Brest")
    mentor_retenu(promotion, departement="29", region="Bretagne", corps="DS", etablissement="CH de Morlaix")
    services.proposer_appariement(promotion=promotion, par=pilote)
    url = reverse("admin:binomes_proposition", args=[promotion.pk])

    tout = comite.get(url)
    ds = comite.get(url, {"corps": "DS"})
    bretagne = comite.get(url, {"region": "Bretagne"})
    bas = comite.get(url, {"score_max": "0"})
    forge = comite.get(url, {"score_max": "abc", "corps": "XX"})

    assert tout.context["totaux"]["nombre"] == 4
    assert [a.ligne.mentore.corps for a in ds.context["lignes"]] == ["DS"]
    assert [a.ligne.mentore.departement for a in bretagne.context["lignes"]] == ["29"]
    assert list(bas.context["lignes"]) == []
    assert forge.status_code == 200 and len(forge.context["lignes"]) == 4
    assert "1 ligne affichée sur 4" in ds.content.decode()
    assert all(a.ligne.points for a in tout.context["lignes"])  # the bar is split by criterion
    assert sum(tout.context["lignes"][0].ligne.points.values()) in range(
        tout.context["lignes"][0].ligne.score - 2, tout.context["lignes"][0].ligne.score + 3
    )
