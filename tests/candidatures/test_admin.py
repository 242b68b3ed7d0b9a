"""The committee's admin: constant queries, filters, counts per role, decisions, export, outsiders."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from candidatures.models import Candidature, Orientation, Statut
from mentorat.models import Utilisateur
from tests.conftest import ClientDuComite
from tests.factories import CandidatureFactory, MentorFactory, PromotionFactory, UtilisateurFactory

pytestmark = pytest.mark.django_db

URL_LISTE = reverse("admin:candidatures_candidature_changelist")


@pytest.mark.parametrize("nombre", [1, 500])
def test_liste_en_nombre_constant_de_requetes(client, pilote, promotion, nombre, django_assert_num_queries):
    utilisateurs = Utilisateur.objects.bulk_create(
        Utilisateur(email=f"candidat{n}@exemple.fr", prenom="Prénom", nom=f"Nom{n}") for n in range(nombre)
    )
    Candidature.objects.bulk_create(CandidatureFactory.build(promotion=promotion, utilisateur=u) for u in utilisateurs)
    client.force_login(pilote)

    # 1 session, 2 user with its groups and second factor (committee predicate), 3 user permissions, 4 group
    # permissions, 5 promotions (filter), 6 filtered count (no second count of the whole table), 7 the data's
    # version (the rows' cache key), 8 the cache being empty, the page of applications joined to user and
    # promotion, 9 counts per role (one aggregate), 10 distinct regions (filter).
    with django_assert_num_queries(10):
        reponse = client.get(URL_LISTE)
    # The same page again, nothing changed: the whole page comes from the reader's cache once the permission check
    # (3, 4) passed and the data's version (7) is the same; the list is neither built, counted nor drawn again.
    with django_assert_num_queries(5):
        encore = client.get(URL_LISTE)

    assert reponse.status_code == 200
    assert _lignes(encore) == _lignes(reponse)
    assert _filtres(encore) == _filtres(reponse)
    assert 'href="?region=' in _filtres(encore)
    assert _lignes(encore).count('class="action-select"') == min(nombre, 25)


def test_une_nouvelle_promotion_se_voit_aussitot_dans_les_filtres_en_cache(client, pilote, promotion):
    CandidatureFactory(promotion=promotion)
    client.force_login(pilote)
    assert "Promotion 2031" not in _filtres(client.get(URL_LISTE))

    PromotionFactory(nom="Promotion 2031", est_courante=False)

    assert "Promotion 2031" in _filtres(client.get(URL_LISTE))


def _filtres(reponse) -> str:
    """The list's filters' sidebar."""
    contenu = reponse.content.decode()
    return contenu[
        contenu.index('id="changelist-filter"') : contenu.index("</nav>", contenu.index('id="changelist-filter"'))
    ]


def _lignes(reponse) -> str:
    """The list's rows and actions, the CSRF token and CSP nonces of the page around them aside."""
    contenu = reponse.content.decode()
    return contenu[contenu.index('id="result_list"') : contenu.index("</table>")]


def test_les_lignes_en_cache_d_un_ingenieur_ne_sont_pas_montrees_au_pilote(client, pilote, ingenieur, promotion):
    candidature = CandidatureFactory(promotion=promotion)
    client.force_login(ingenieur)
    assert "Orientation suivie : oui" in client.get(URL_LISTE).content.decode()  # an engineer's action

    client.force_login(pilote)
    contenu = client.get(URL_LISTE).content.decode()

    assert candidature.utilisateur.email in contenu
    assert "Orientation suivie : oui" not in contenu


def test_une_candidature_modifiee_se_voit_aussitot_malgre_le_cache(client, pilote, promotion):
    candidature = CandidatureFactory(promotion=promotion, statut=Statut.SOUMISE)
    client.force_login(pilote)
    assert "Soumise" in _lignes(client.get(URL_LISTE))

    Candidature.objects.filter(pk=candidature.pk).update(statut=Statut.RETENUE)  # no signal sent

    assert "Retenue" in _lignes(client.get(URL_LISTE))


def test_la_liste_en_cache_est_refusee_aussitot_a_qui_perd_son_role(client, pilote, promotion):
    CandidatureFactory(promotion=promotion)
    client.force_login(pilote)
    assert client.get(URL_LISTE).status_code == 200

    pilote.groups.clear()
    pilote.is_staff = False
    pilote.save()

    assert client.get(URL_LISTE).status_code != 200


def test_la_liste_en_cache_garde_le_jeton_de_son_lecteur(pilote, promotion, mailoutbox, apres_commit):
    candidature = CandidatureFactory(promotion=promotion)
    client = ClientDuComite(enforce_csrf_checks=True)
    client.force_login(pilote)
    client.get(URL_LISTE)
    page = client.get(URL_LISTE).content.decode()  # from the cache
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    with apres_commit():
        reponse = client.post(
            URL_LISTE, {"action": "retenir", "_selected_action": [candidature.pk], "csrfmiddlewaretoken": jeton}
        )

    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert candidature.statut == Statut.RETENUE
    # The message of the action is shown on the page that follows, rendered for it and not kept.
    suite = client.get(URL_LISTE).content.decode()
    assert 'class="messagelist"' in suite
    assert "Retenue" in _lignes_du_texte(suite)
    assert "@@" not in suite
    assert 'class="messagelist"' not in client.get(URL_LISTE).content.decode()


def _lignes_du_texte(contenu: str) -> str:
    return contenu[contenu.index('id="result_list"') : contenu.index("</table>")]


def test_liste_compte_par_role_et_filtre(client, pilote, promotion):
    CandidatureFactory.create_batch(2, promotion=promotion)
    MentorFactory(promotion=promotion, region="Bretagne", departement="35")
    client.force_login(pilote)

    tout = client.get(URL_LISTE).content.decode()
    mentors = client.get(URL_LISTE, {"role__exact": "mentor"}).content.decode()

    assert "Dans cette liste : 2 mentoré·es et 1 mentor." in tout
    assert "Dans cette liste : 0 mentoré·e et 1 mentor." in mentors


def test_recherche_par_etablissement(client, pilote, promotion):
    CandidatureFactory(promotion=promotion, etablissement="CH de Morlaix")
    CandidatureFactory(promotion=promotion, etablissement="CHU de Brest")
    client.force_login(pilote)

    reponse = client.get(URL_LISTE, {"q": "Morlaix"})

    assert [c.etablissement for c in reponse.context["cl"].result_list] == ["CH de Morlaix"]


def test_detail_montre_le_verdict_en_lecture_seule(client, pilote, candidat):
    client.force_login(pilote)

    contenu = client.get(reverse("admin:candidatures_candidature_change", args=[candidat.pk])).content.decode()

    assert "Éligible : toutes les règles de la promotion sont remplies." in contenu
    assert 'name="motivation"' not in contenu


def test_action_retenir_passe_par_le_service(client, pilote, promotion, mailoutbox, apres_commit):
    candidatures = CandidatureFactory.create_batch(2, promotion=promotion)
    client.force_login(pilote)

    with apres_commit():
        client.post(URL_LISTE, {"action": "retenir", "_selected_action": [c.pk for c in candidatures]})

    assert set(Candidature.objects.values_list("statut", "decide_par")) == {(Statut.RETENUE, pilote.pk)}
    assert len(mailoutbox) == 2


def test_action_ne_pas_retenir_avec_atelier(client, pilote, candidat):
    client.force_login(pilote)

    client.post(URL_LISTE, {"action": "ne_pas_retenir_atelier", "_selected_action": [candidat.pk]})

    candidat.refresh_from_db()
    assert (candidat.statut, candidat.orientation) == (Statut.NON_RETENUE, Orientation.ATELIER)


def _exporter(client, format_index: str):
    return client.post(
        reverse("admin:candidatures_candidature_export"),
        {
            "format": format_index,
            "resource": "0",
            **{f"candidatureresource_{c}": "on" for c in ["nom", "prenom", "email", "statut", "themes"]},
        },
    )


def test_un_membre_du_personnel_hors_comite_lit_la_liste_sans_pouvoir_l_exporter(client, candidat):
    """The export is the committee's, small or large: a large one is downloaded from a page only they may open."""
    from django.contrib.auth.models import Permission

    lecteur = UtilisateurFactory(is_staff=True)
    lecteur.user_permissions.add(Permission.objects.get(codename="view_candidature"))
    client.force_login(lecteur)

    liste = client.get(URL_LISTE)
    assert liste.status_code == 200
    assert reverse("admin:candidatures_candidature_export") not in liste.content.decode()
    assert client.get(reverse("admin:candidatures_candidature_export")).status_code == 403
    assert _exporter(client, "0").status_code == 403


def test_export_csv(client, pilote, candidat):
    client.force_login(pilote)

    reponse = _exporter(client, "0")

    assert reponse.status_code == 200
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig"))))
    assert lignes[0][:3] == ["Prénom", "Nom", "Adresse électronique"]
    assert lignes[1][:3] == ["Camille", "Candidat", candidat.utilisateur.email]


@pytest.mark.horloges
@pytest.mark.parametrize(("format_index", "extension"), [("0", "csv"), ("1", "xlsx")])
def test_le_fichier_exporte_porte_le_jour_de_paris(client, pilote, candidat, format_index, extension):
    client.force_login(pilote)

    reponse = _exporter(client, format_index)

    jour = timezone.localdate().isoformat()
    assert reponse["Content-Disposition"] == f'attachment; filename="candidatures-{jour}.{extension}"'


def test_export_xlsx(client, pilote, candidat):
    client.force_login(pilote)

    reponse = _exporter(client, "1")

    feuille = openpyxl.load_workbook(io.BytesIO(reponse.content)).active
    assert [cellule.value for cellule in feuille[2]][:2] == ["Camille", "Candidat"]


def test_un_candidat_n_accede_pas_a_l_administration(client, candidat):
    client.force_login(candidat.utilisateur)

    reponse = client.get(URL_LISTE)

    assert reponse.status_code == 302


def test_un_membre_du_personnel_sans_groupe_est_refuse(client, candidat):
    client.force_login(UtilisateurFactory(is_staff=True))

    assert client.get(URL_LISTE).status_code == 403


def test_bouton_de_decision_du_detail_avec_orientation(client, pilote, candidat, mailoutbox, apres_commit):
    client.force_login(pilote)
    detail = client.get(reverse("admin:candidatures_candidature_change", args=[candidat.pk])).content.decode()

    with apres_commit():
        reponse = client.post(
            reverse("admin:candidatures_candidature_decider", args=[candidat.pk]),
            {"statut": "non_retenue", "orientation": "coaching"},
        )

    assert "Passer à « Retenue »" in detail
    assert reponse.status_code == 302
    candidat.refresh_from_db()
    assert (candidat.statut, candidat.orientation, candidat.decide_par) == (
        Statut.NON_RETENUE,
        Orientation.COACHING,
        pilote,
    )
    assert len(mailoutbox) == 1


def test_bouton_de_decision_transition_interdite(client, pilote, candidat):
    client.force_login(pilote)

    reponse = client.post(
        reverse("admin:candidatures_candidature_decider", args=[candidat.pk]), {"statut": "soumise"}, follow=True
    )

    assert "ne peut pas passer au statut « Soumise »" in reponse.content.decode()
    candidat.refresh_from_db()
    assert candidat.statut == Statut.RECEVABLE


def test_bouton_de_decision_refuse_hors_comite(client, candidat):
    client.force_login(UtilisateurFactory(is_staff=True))

    reponse = client.post(reverse("admin:candidatures_candidature_decider", args=[candidat.pk]), {"statut": "retenue"})

    assert reponse.status_code == 403
    candidat.refresh_from_db()
    assert candidat.statut == Statut.RECEVABLE


def test_themes_par_defaut_modifiables_par_le_comite(client, pilote):
    from candidatures.models import Theme

    theme = Theme.objects.get(nom="Dialogue social")
    client.force_login(pilote)

    reponse = client.post(
        reverse("admin:candidatures_theme_change", args=[theme.pk]),
        {"nom": "Dialogue social et relations syndicales", "actif": "", "ordre": "4"},
    )

    assert reponse.status_code == 302
    assert Theme.objects.count() == 12
    theme.refresh_from_db()
    assert (theme.nom, theme.actif) == ("Dialogue social et relations syndicales", False)


def test_liste_montre_le_sigle_du_corps_et_le_statut(client, pilote, candidat):
    client.force_login(pilote)

    contenu = client.get(URL_LISTE).content.decode()

    assert '<td class="field-sigle_corps">DH</td>' in contenu
    assert '<td class="field-statut">Recevable</td>' in contenu


def test_export_neutralise_les_formules_et_les_caracteres_de_controle(client, pilote, promotion):
    CandidatureFactory(
        promotion=promotion, utilisateur__prenom='=HYPERLINK("http://x")', etablissement="CH\x0b de Morlaix"
    )
    client.force_login(pilote)

    lignes = list(csv.reader(io.StringIO(_exporter(client, "0").content.decode("utf-8-sig"))))
    feuille = openpyxl.load_workbook(io.BytesIO(_exporter_tout(client, "1").content)).active

    assert lignes[1][0] == '\'=HYPERLINK("http://x")'
    valeurs = [cellule.value for cellule in feuille[2]]
    assert valeurs[0] == '\'=HYPERLINK("http://x")'
    assert "CH de Morlaix" in valeurs


def _exporter_tout(client, format_index: str):
    colonnes = ["prenom", "nom", "etablissement", "statut", "cree_le"]
    return client.post(
        reverse("admin:candidatures_candidature_export"),
        {"format": format_index, "resource": "0", **{f"candidatureresource_{c}": "on" for c in colonnes}},
    )


def test_export_en_francais_et_a_l_heure_de_paris(client, pilote, candidat):
    depot = datetime.datetime(2024, 2, 8, 23, 30, tzinfo=datetime.UTC)
    Candidature.objects.filter(pk=candidat.pk).update(cree_le=depot)
    client.force_login(pilote)

    lignes = list(csv.reader(io.StringIO(_exporter_tout(client, "0").content.decode("utf-8-sig"))))

    assert lignes == [
        ["Prénom", "Nom", "Établissement", "Statut", "Déposée le"],
        ["Camille", "Candidat", candidat.etablissement, "Recevable", "09/02/2024 00:30"],
    ]


def test_page_d_export_entierement_en_francais(client, pilote):
    client.force_login(pilote)

    contenu = client.get(reverse("admin:candidatures_candidature_export")).content.decode()

    assert "Tout sélectionner" in contenu
    assert '<label for="id_candidatureresource_cree_le">Déposée le</label>' in contenu
    assert "Select all" not in contenu
    assert "Cree Le" not in contenu


def test_detail_sans_bouton_enregistrer_inutile(client, pilote, candidat):
    client.force_login(pilote)

    contenu = client.get(reverse("admin:candidatures_candidature_change", args=[candidat.pk])).content.decode()

    assert 'name="_save"' not in contenu
    assert 'name="_continue"' not in contenu
    assert "Passer à « Retenue »" in contenu


def test_detail_verdict_revu_selon_les_regles_actuelles(client, pilote, promotion):
    mentor = MentorFactory(promotion=promotion, postes_direction=2)
    promotion.mentor_postes_distincts = 3
    promotion.save()
    client.force_login(pilote)

    contenu = client.get(reverse("admin:candidatures_candidature_change", args=[mentor.pk])).content.decode()

    assert "Non éligible au regard des règles actuelles de la promotion :" in contenu
    assert "<li>Il faut avoir occupé au moins 3 postes de direction distincts.</li>" in contenu


def test_la_liste_et_la_fiche_disent_si_l_adresse_est_confirmee_et_l_eligibilite(client, pilote, promotion):
    inconnue = CandidatureFactory(promotion=promotion, utilisateur__email_confirme=False, utilisateur__nom="Sanslien")
    mentor = MentorFactory(promotion=promotion, postes_direction=1)
    client.force_login(pilote)

    liste = client.get(URL_LISTE).content.decode()
    fiche = client.get(reverse("admin:candidatures_candidature_change", args=[inconnue.pk])).content.decode()
    fiche_mentor = client.get(reverse("admin:candidatures_candidature_change", args=[mentor.pk])).content.decode()

    assert "adresse non confirmée" in liste
    assert "Non éligible" in liste and "Éligible" in liste
    assert "non confirmée" in fiche and "hors de toute proposition" in fiche
    assert "confirmée</span>" in fiche_mentor
    assert '<ul class="comite-compteurs" id="comptes-par-statut"' in liste
    # Each chip names its status and its count, so the noun never has to agree with a number.
    assert re.search(r">Soumise : <strong>\d+</strong></a>", liste)
    # Yes/no answers in words: Django's icon would read "True" or "False" to a screen reader.
    assert 'alt="True"' not in fiche and 'alt="False"' not in fiche
    assert re.search(r"Charte acceptée\s*:</label>\s*<div class=\"readonly\">(Oui|Non)</div>", fiche)
    # The answers in the form's sections, the decision first.
    sections = ["Éligibilité et décision", "Candidat et compte", "Situation professionnelle", "Parcours", "Attentes"]
    positions = [fiche.index(f">{titre}</h2>") for titre in sections]
    assert positions == sorted(positions)
