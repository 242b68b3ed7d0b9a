"""Who sees what: the list for the committee, unpublished syntheses and free text for engineers only."""

import io

import pytest
from django.db.models import Avg
from django.urls import reverse
from pypdf import PdfReader

from evaluation import services
from evaluation.models import Campagne, EtatSynthese, Valeur
from tests.factories import CandidatureFactory, PromotionFactory

from .conftest import fermer, repondre_en_nombre
from .factories import CampagneFactory


@pytest.fixture
def connecter(client):
    def connecter(user):
        if user is not None:
            client.force_login(user)
        return client

    return connecter


@pytest.fixture
def personnes(request, mentor, pilote, ingenieur, candidat, autre_promotion_membre):
    return {
        "anonyme": None,
        "participant": mentor,
        "candidat": candidat.utilisateur,
        "autre_promotion": autre_promotion_membre,
        "pilote": pilote,
        "ingenieur": ingenieur,
    }


ROLES = ["anonyme", "participant", "candidat", "autre_promotion", "pilote", "ingenieur"]


def _statut(reponse):
    if reponse.status_code == 302:
        return "connexion" if "/compte/connexion/" in reponse.url else "redirection"
    return reponse.status_code


@pytest.mark.parametrize(
    ("role", "attendu"),
    [
        ("anonyme", "connexion"),
        ("participant", 403),
        ("candidat", 403),
        ("autre_promotion", 403),
        ("pilote", 200),
        ("ingenieur", 200),
    ],
)
def test_liste_des_campagnes_reservee_au_comite(connecter, personnes, campagne, role, attendu):
    assert _statut(connecter(personnes[role]).get(reverse("evaluation:campagnes"))) == attendu


@pytest.mark.parametrize(
    ("role", "brouillon", "publiee"),
    [
        ("anonyme", "connexion", "connexion"),
        ("participant", 404, 200),
        ("candidat", 404, 404),
        ("autre_promotion", 404, 404),
        ("pilote", 404, 200),
        ("ingenieur", 200, 200),
    ],
)
@pytest.mark.parametrize("vue", ["evaluation:synthese", "evaluation:pdf"])
def test_synthese_et_pdf_selon_le_role(connecter, personnes, campagne_close, ingenieur, role, brouillon, publiee, vue):
    client = connecter(personnes[role])
    url = reverse(vue, args=[campagne_close.pk])
    avant = _statut(client.get(url))
    services.publier_synthese(campagne=campagne_close, par=ingenieur)
    apres = _statut(client.get(url))

    assert (avant, apres) == (brouillon, publiee)


@pytest.mark.parametrize("role", ["participant", "pilote", "candidat", "anonyme"])
def test_seuls_les_ingenieurs_redigent_et_publient(connecter, personnes, campagne_close, role):
    client = connecter(personnes[role])

    client.post(reverse("evaluation:rediger", args=[campagne_close.pk]), {"commentaire": "Piraté", "extraits": ""})
    client.post(reverse("evaluation:publier", args=[campagne_close.pk]))

    campagne_close.refresh_from_db()
    assert (campagne_close.commentaire, campagne_close.etat) == ("", EtatSynthese.BROUILLON)


def test_verbatims_pour_les_ingenieurs_seulement_et_apres_dix_reponses(connecter, personnes, campagne_close, ingenieur):
    services.publier_synthese(campagne=campagne_close, par=ingenieur)
    url = reverse("evaluation:synthese", args=[campagne_close.pk])

    pour_ingenieur = connecter(ingenieur).get(url).content.decode()
    pour_pilote = connecter(personnes["pilote"]).get(url).content.decode()

    assert pour_ingenieur.count("Un regard extérieur utile.") == 24  # 12 responses x 2 free-text questions
    assert "Un regard extérieur utile." not in pour_pilote


def test_verbatims_caches_sous_dix_reponses(connecter, campagne, questions, ingenieur):
    repondre_en_nombre(campagne, questions, [("mentor", "DH", 4)] * 9)
    fermer(campagne)

    contenu = connecter(ingenieur).get(reverse("evaluation:synthese", args=[campagne.pk])).content.decode()

    assert "ne sont consultables qu'à partir de 10 réponses" in contenu
    assert "Un regard extérieur utile." not in contenu


def test_resultats_seulement_apres_la_cloture(connecter, campagne, questions, ingenieur):
    repondre_en_nombre(campagne, questions, [("mentor", "DH", 4)] * 6)

    client = connecter(ingenieur)
    contenu = client.get(reverse("evaluation:synthese", args=[campagne.pk])).content.decode()

    assert "Les résultats seront affichés après la clôture du questionnaire" in contenu
    assert "taux de réponse" not in contenu
    assert client.get(reverse("evaluation:pdf", args=[campagne.pk])).status_code == 404
    assert client.post(reverse("evaluation:publier", args=[campagne.pk])).status_code == 302
    assert Campagne.objects.get(pk=campagne.pk).etat == EtatSynthese.BROUILLON


def test_synthese_montre_taux_et_repartition_protegee(connecter, campagne_close, ingenieur):
    contenu = connecter(ingenieur).get(reverse("evaluation:synthese", args=[campagne_close.pk])).content.decode()

    # 12 responses, 14 invited (the 2 members of `binome` + 12 respondents).
    assert "12 réponses sur 14 personnes invitées, soit un taux de réponse de 86 %." in contenu
    # By corps: DH has 10, DS only 2: DS is merged with D3S/PH (empty) — still 2 < 5, so DH is hidden too.
    assert "Groupes regroupés et non détaillés (Directeur ou directrice d&#x27;hôpital (DH)" in contenu
    assert "<svg" in contenu


def test_redaction_puis_publication_envoie_un_courriel_a_chacun(
    connecter, campagne_close, ingenieur, pilote, mentor, mentore, mailoutbox, envoi
):
    client = connecter(ingenieur)
    client.post(
        reverse("evaluation:rediger", args=[campagne_close.pk]),
        {"commentaire": "  Un programme apprécié.  ", "extraits": "Premier extrait\n\n Second extrait "},
    )
    with envoi():
        client.post(reverse("evaluation:publier", args=[campagne_close.pk]))

    campagne_close.refresh_from_db()
    assert (campagne_close.commentaire, campagne_close.extraits) == (
        "Un programme apprécié.",
        ["Premier extrait", "Second extrait"],
    )
    assert campagne_close.etat == EtatSynthese.PUBLIEE
    destinataires = sorted(a for m in mailoutbox for a in m.to)
    assert len(destinataires) == 16  # 14 invited + pilot + engineer
    assert {mentor.email, mentore.email, pilote.email, ingenieur.email} <= set(destinataires)
    assert mailoutbox[0].subject == "Synthèse publiée — Questionnaire de mi-parcours"


def test_mes_syntheses_pour_le_participant(connecter, campagne_close, mentor, ingenieur):
    services.publier_synthese(campagne=campagne_close, par=ingenieur)

    contenu = connecter(mentor).get(reverse("evaluation:mes_syntheses")).content.decode()

    assert reverse("evaluation:synthese", args=[campagne_close.pk]) in contenu


@pytest.mark.parametrize("nombre", [1, 8])
def test_liste_en_nombre_constant_de_requetes(connecter, ingenieur, nombre, django_assert_num_queries):
    for _ in range(nombre):
        CampagneFactory(promotion=PromotionFactory(est_courante=False))
    client = connecter(ingenieur)

    # session, user, user's groups (rules), campaigns with promotion and both counts as subqueries
    with django_assert_num_queries(4):
        client.get(reverse("evaluation:campagnes"))


def test_pdf_contient_les_chiffres_de_la_base(connecter, campagne_close, ingenieur):
    services.rediger_synthese(campagne=campagne_close, commentaire="Un programme très apprécié.", extraits=["Précieux"])

    reponse = connecter(ingenieur).get(reverse("evaluation:pdf", args=[campagne_close.pk]))

    texte = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(reponse.content)).pages)
    assert reponse["Content-Type"] == "application/pdf"
    nb = campagne_close.reponses.count()
    invites = campagne_close.invitations.count()
    assert f"{nb} réponses sur {invites} personnes invitées" in " ".join(texte.split())
    assert "Quelle est votre satisfaction globale à l'égard du programme ?" in texte
    moyenne = Valeur.objects.filter(reponse__campagne=campagne_close, question__code="satisfaction").aggregate(
        m=Avg("note")
    )["m"]
    assert f"Moyenne : {round(moyenne, 1):.1f} sur 5.".replace(".", ",", 1) in texte
    assert round(moyenne, 1) == 4.2  # (6 x 5 + 4 x 4 + 2 x 2) / 12
    nb_oui = Valeur.objects.filter(reponse__campagne=campagne_close, question__code="recommandation", oui=True).count()
    assert f"Oui {nb_oui}" in texte
    assert "Un programme très apprécié." in texte
    assert "Page 1 sur" in texte


def test_candidat_non_participant_ne_voit_pas(connecter, campagne_close, ingenieur):
    candidat = CandidatureFactory(promotion=campagne_close.promotion).utilisateur
    services.publier_synthese(campagne=campagne_close, par=ingenieur)

    assert connecter(candidat).get(reverse("evaluation:synthese", args=[campagne_close.pk])).status_code == 404


@pytest.mark.parametrize(("nombre", "requetes"), [(1, 13), (10, 14), (40, 14)])
def test_synthese_en_nombre_constant_de_requetes(
    connecter, campagne, questions, ingenieur, nombre, requetes, django_assert_num_queries
):
    repondre_en_nombre(campagne, questions, [("mentor", "DH", 4)] * nombre)
    fermer(campagne)
    client = connecter(ingenieur)

    # session, user, user's groups, campaign with promotion, active questions, value counts, invitations count,
    # responses count, per breakdown (role, corps) group sizes and averages, responses count for the free-text
    # threshold, and from 10 responses on the free texts with their question
    with django_assert_num_queries(requetes):
        client.get(reverse("evaluation:synthese", args=[campagne.pk]))


def test_mes_syntheses_demande_une_connexion(client):
    assert _statut(client.get(reverse("evaluation:mes_syntheses"))) == "connexion"


def test_mes_syntheses_d_une_autre_promotion_invisibles(connecter, campagne_close, ingenieur, autre_promotion_membre):
    services.publier_synthese(campagne=campagne_close, par=ingenieur)

    contenu = connecter(autre_promotion_membre).get(reverse("evaluation:mes_syntheses")).content.decode()

    assert "Aucune synthèse publiée pour le moment." in contenu
