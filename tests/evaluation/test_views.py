"""Who sees what: the list for the committee, unpublished syntheses and free text for engineers only."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import services
from evaluation.models import Campagne, EtatSynthese, Question, Valeur
from mentorat.dates import date_fr
from mentorat.models import GROUPE_PILOTE
from tests.conftest import ClientDuComite
from tests.factories import CandidatureFactory, IngenieurFactory, PromotionFactory

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


@pytest.mark.parametrize("role", ["participant", "pilote", "candidat", "autre_promotion", "anonyme"])
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

    # session, user with its groups and second factor (`mentorat.authentification`), campaigns with
    # promotion and both counts
    with django_assert_num_queries(3):
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
    plat = " ".join(texte.split())
    for question in Question.objects.filter(type="echelle"):
        comptes = dict(
            Valeur.objects.filter(reponse__campagne=campagne_close, question=question)
            .values_list("note")
            .annotate(n=Count("pk"))
        )
        lignes = " ".join(f"{note} {comptes.get(note, 0)}" for note in range(1, 6))
        assert f"Répartition des réponses : {question.intitule} Réponse Nombre {lignes}" in plat
    assert f"Document généré le {date_fr(timezone.localdate())} à " in plat


def test_candidat_non_participant_ne_voit_pas(connecter, campagne_close, ingenieur):
    candidat = CandidatureFactory(promotion=campagne_close.promotion).utilisateur
    services.publier_synthese(campagne=campagne_close, par=ingenieur)

    assert connecter(candidat).get(reverse("evaluation:synthese", args=[campagne_close.pk])).status_code == 404


@pytest.mark.parametrize(("nombre", "requetes"), [(1, 14), (10, 15), (40, 15)])
def test_synthese_en_nombre_constant_de_requetes(
    connecter, campagne, questions, ingenieur, nombre, requetes, django_assert_num_queries
):
    repondre_en_nombre(campagne, questions, [("mentor", "DH", 4)] * nombre)
    fermer(campagne)
    services.brasser_reponses(campagne_id=campagne.pk)  # as the daily task does: the pool's last answers moved
    client = connecter(ingenieur)

    # session, user with its groups and second factor, campaign with promotion, active questions, value
    # counts, invitations count, responses count, per breakdown (role, corps) group sizes and averages, the share
    # of wished themes covered overall and per corps, responses count for the free-text threshold, and from 10
    # responses on the free texts with their question
    with django_assert_num_queries(requetes):
        client.get(reverse("evaluation:synthese", args=[campagne.pk]))


def test_mes_syntheses_demande_une_connexion(client):
    assert _statut(client.get(reverse("evaluation:mes_syntheses"))) == "connexion"


def test_mes_syntheses_d_une_autre_promotion_invisibles(connecter, campagne_close, ingenieur, autre_promotion_membre):
    services.publier_synthese(campagne=campagne_close, par=ingenieur)

    contenu = connecter(autre_promotion_membre).get(reverse("evaluation:mes_syntheses")).content.decode()

    assert "Aucune synthèse publiée pour le moment." in contenu


def test_redaction_trop_longue_signalee_et_saisie_conservee(connecter, campagne_close, ingenieur):
    trop_long = "Un programme apprécié. " * 500  # more than the 10,000 characters allowed

    reponse = connecter(ingenieur).post(
        reverse("evaluation:rediger", args=[campagne_close.pk]), {"commentaire": trop_long, "extraits": "Précieux"}
    )

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "comporte au plus 10000 caractères" in contenu
    assert "Un programme apprécié. Un programme apprécié." in contenu
    assert "Précieux</textarea>" in contenu
    campagne_close.refresh_from_db()
    assert (campagne_close.commentaire, campagne_close.extraits) == ("", [])


def test_moins_de_cinq_reponses_aucun_chiffre_detaille(connecter, campagne, questions, ingenieur):
    # One stopped pair answered: each member could read the other's answers in any figure.
    repondre_en_nombre(campagne, questions, [("mentor", "DH", 2), ("mentore", "DH", 5), ("mentore", "D3S", 4)])
    fermer(campagne)
    client = connecter(ingenieur)

    contenu = client.get(reverse("evaluation:synthese", args=[campagne.pk])).content.decode()
    pdf = client.get(reverse("evaluation:pdf", args=[campagne.pk])).content
    texte_pdf = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())

    assert "3 réponses sur 5 personnes invitées" in contenu
    assert "la campagne compte moins de 5 réponses" in contenu
    assert "<svg" not in contenu
    assert "Moyenne :" not in contenu
    assert "la campagne compte moins de 5 réponses" in texte_pdf
    assert "Moyenne :" not in texte_pdf


def test_groupes_vides_absents_de_la_mention_et_titres_des_tableaux(connecter, campagne_close, ingenieur):
    contenu = connecter(ingenieur).get(reverse("evaluation:synthese", args=[campagne_close.pk])).content.decode()

    assert "<caption>Moyennes sur 5, par rôle</caption>" in contenu
    # By corps, DH (10) and DS (2) are merged; D3S and PH have no response and are not listed.
    assert "Groupes regroupés et non détaillés (Directeur ou directrice d&#x27;hôpital (DH), Directeur ou " in contenu
    assert "des soins (DS) : 12 réponses au total)" in contenu
    assert "(PH)" not in contenu


def test_question_retiree_apres_la_campagne_reste_dans_ses_resultats(connecter, campagne_close, questions, ingenieur):
    Question = type(questions["relation"])
    Question.objects.filter(code="relation").update(active=False)

    contenu = connecter(ingenieur).get(reverse("evaluation:synthese", args=[campagne_close.pk])).content.decode()

    assert "Comment jugez-vous la qualité de la relation de mentorat proposée par le programme ?" in contenu


def test_reponses_libres_rangees_par_question(connecter, campagne_close, ingenieur):
    contenu = connecter(ingenieur).get(reverse("evaluation:synthese", args=[campagne_close.pk])).content.decode()

    debut = contenu.index('id="verbatims"')
    assert contenu.count("<h3>Qu&#x27;est-ce que le programme vous a apporté ou appris ?</h3>", debut) == 1
    assert contenu.count("<h3>Avez-vous des suggestions pour améliorer le programme ?</h3>", debut) == 1


@pytest.mark.parametrize("nombre", [1, 6])
def test_mes_syntheses_en_nombre_constant_de_requetes(connecter, mentor, ingenieur, nombre, django_assert_num_queries):
    for _ in range(nombre):
        campagne = CampagneFactory(promotion=PromotionFactory(est_courante=False))
        campagne.invitations.create(utilisateur=mentor, role="mentor", corps="DH")
        Campagne.objects.filter(pk=campagne.pk).update(etat=EtatSynthese.PUBLIEE)
    client = connecter(mentor)

    # session, user with its groups (header), published campaigns of the user with their promotion
    with django_assert_num_queries(3):
        contenu = client.get(reverse("evaluation:mes_syntheses")).content.decode()

    assert contenu.count("Questionnaire de mi-parcours — ") == nombre


def test_participant_trouve_les_syntheses_dans_le_menu(connecter, mentor, pilote):
    lien = f'href="{reverse("evaluation:mes_syntheses")}"'

    assert lien in connecter(mentor).get(reverse("accueil")).content.decode()
    assert lien not in connecter(pilote).get(reverse("accueil")).content.decode()


def test_liste_lien_vers_les_brouillons_pour_les_ingenieurs_seulement(connecter, campagne_close, pilote, ingenieur):
    lien = f'href="{reverse("evaluation:synthese", args=[campagne_close.pk])}"'
    url = reverse("evaluation:campagnes")

    pour_pilote_avant = connecter(pilote).get(url).content.decode()
    pour_ingenieur = connecter(ingenieur).get(url).content.decode()
    services.publier_synthese(campagne=campagne_close, par=ingenieur)
    pour_pilote_apres = connecter(pilote).get(url).content.decode()

    assert (lien in pour_pilote_avant, lien in pour_ingenieur, lien in pour_pilote_apres) == (False, True, True)


def test_la_synthese_en_cache_montre_aussitot_le_commentaire_enregistre(client, campagne_close, ingenieur):
    """The results and the drafting form are cached under the campaign's values: a saved comment shows at once."""
    client.force_login(ingenieur)
    url = reverse("evaluation:synthese", args=[campagne_close.pk])
    client.get(url)

    client.post(reverse("evaluation:rediger", args=[campagne_close.pk]), {"commentaire": "Très suivi", "extraits": ""})
    page = client.get(url).content.decode()

    assert page.count("Très suivi") == 2  # in the results, and in the form to go on drafting


def _sans_jeton(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_synthese_revue_vient_du_cache_du_lecteur(client, campagne_close, ingenieur, django_assert_num_queries):
    client.force_login(ingenieur)
    url = reverse("evaluation:synthese", args=[campagne_close.pk])
    premiere = client.get(url).content.decode()

    # session, user with its groups and second factor (committee predicate), campaign with promotion: the
    # page itself comes from the reader's cache.
    with django_assert_num_queries(3):
        seconde = client.get(url).content.decode()

    assert _sans_jeton(seconde) == _sans_jeton(premiere)
    assert "Un regard extérieur utile." in seconde
    assert "@@" not in seconde


def test_synthese_en_cache_jamais_celle_d_un_autre_lecteur(campagne_close, ingenieur, pilote):
    services.publier_synthese(campagne=campagne_close, par=ingenieur)
    autre = IngenieurFactory(prenom="Igor", nom="Second")
    url = reverse("evaluation:synthese", args=[campagne_close.pk])
    pages = {}
    for lecteur in (ingenieur, autre, pilote, ingenieur, autre, pilote):  # each twice: the second from the cache
        client = ClientDuComite()
        client.force_login(lecteur)
        pages[lecteur.pk] = client.get(url).content.decode()

    assert ingenieur.get_full_name() in pages[ingenieur.pk] and autre.get_full_name() not in pages[ingenieur.pk]
    assert autre.get_full_name() in pages[autre.pk] and ingenieur.get_full_name() not in pages[autre.pk]
    assert "Un regard extérieur utile." in pages[autre.pk]
    assert "Un regard extérieur utile." not in pages[pilote.pk]  # free answers: engineers only
    assert pilote.get_full_name() in pages[pilote.pk]


def test_synthese_en_cache_montre_aussitot_un_changement(client, campagne_close, ingenieur):
    client.force_login(ingenieur)
    url = reverse("evaluation:synthese", args=[campagne_close.pk])
    assert "Publier la synthèse" in client.get(url).content.decode()

    services.publier_synthese(campagne=campagne_close, par=ingenieur)
    publiee = client.get(url).content.decode()
    assert "Publier la synthèse" not in publiee
    assert 'id="etat-synthese">Publiée<' in publiee

    ingenieur.groups.clear()  # no longer an engineer: the published synthesis without the free answers
    ingenieur.groups.add(Group.objects.get(name=GROUPE_PILOTE))
    page = client.get(url).content.decode()
    assert "Un regard extérieur utile." not in page
    assert 'id="etat-synthese">Publiée<' in page


def test_synthese_en_cache_montre_aussitot_une_question_reformulee(client, campagne_close, ingenieur):
    """The questions' version is read with the cached page (one round trip): a question saved in the admin gives
    the page again at once."""
    client.force_login(ingenieur)
    url = reverse("evaluation:synthese", args=[campagne_close.pk])
    client.get(url)
    question = Question.objects.filter(active=True).order_by("ordre").first()
    assert question is not None
    assert question.intitule in client.get(url).content.decode()  # from the reader's cache

    question.intitule = "Intitulé reformulé par le comité"
    question.save()

    assert "Intitulé reformulé par le comité" in client.get(url).content.decode()


def test_synthese_en_cache_garde_le_jeton_du_lecteur(campagne_close, ingenieur):
    client = ClientDuComite(enforce_csrf_checks=True)
    client.force_login(ingenieur)
    url = reverse("evaluation:synthese", args=[campagne_close.pk])
    client.get(url)

    page = client.get(url).content.decode()  # from the cache
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    reponse = client.post(
        reverse("evaluation:rediger", args=[campagne_close.pk]),
        {"commentaire": "Retenu.", "extraits": "", "csrfmiddlewaretoken": jeton},
    )
    assert reponse.status_code == 302
    assert "Retenu." in client.get(url).content.decode()
