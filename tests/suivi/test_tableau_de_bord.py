"""The engineers' dashboard, the exports and the calendar feed."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar
from pypdf import PdfReader

from binomes.models import Binome, StatutBinome
from mentorat.models import Promotion
from suivi.models import EtatRencontre, Moment, Transmission
from suivi.tableau import URGENCE, Vigilance
from tests.factories import BinomeFactory, IngenieurFactory, PromotionFactory, ThemeFactory
from tests.suivi.factories import RencontreFactory
from tests.suivi.test_views import connecter, il_y_a


@pytest.fixture
def binomes_varies(promotion, ingenieur):
    """On track (met 10 days ago), to watch (45 days), over the limit (70 days), stopped."""
    a_jour, surveiller, depasse, arrete = BinomeFactory.create_batch(4, promotion=promotion, referent=ingenieur)
    RencontreFactory(binome=a_jour, date=il_y_a(10))
    RencontreFactory(binome=surveiller, date=il_y_a(45))
    RencontreFactory(binome=depasse, date=il_y_a(70))
    arrete.statut = StatutBinome.ARRETE
    arrete.save()
    return a_jour, surveiller, depasse, arrete


def test_tableau_de_bord_trie_par_urgence_avec_badges_textuels(client, ingenieur, binomes_varies):
    a_jour, surveiller, depasse, arrete = binomes_varies

    reponse = connecter(client, ingenieur).get(reverse("suivi:tableau_de_bord"))

    assert [t.binome for t in reponse.context["tableaux"]] == [depasse, surveiller, a_jour, arrete]
    contenu = reponse.content.decode()
    for libelle in ("Écart dépassé", "À surveiller", "Dans les temps", "Arrêté"):
        assert libelle in contenu
    assert contenu.count("<svg") == 4


def test_filtre_mes_binomes(client, ingenieur, binomes_varies, promotion):
    autre = BinomeFactory(promotion=promotion)

    reponse = connecter(client, ingenieur).get(
        reverse("suivi:tableau_de_bord"), {"promotion": promotion.pk, "mes_binomes": "on"}
    )

    assert autre not in [t.binome for t in reponse.context["tableaux"]]
    assert len(reponse.context["tableaux"]) == 4


def test_la_liste_en_cache_de_mes_binomes_d_un_ingenieur_n_est_pas_montree_a_un_autre(client, ingenieur, promotion):
    mien = BinomeFactory(promotion=promotion, referent=ingenieur)
    autre_ingenieur = IngenieurFactory()
    sien = BinomeFactory(promotion=promotion, referent=autre_ingenieur)
    filtres = {"promotion": promotion.pk, "mes_binomes": "on"}
    assert escape(str(mien)) in _liste(connecter(client, ingenieur).get(reverse("suivi:tableau_de_bord"), filtres))

    liste = _liste(connecter(client, autre_ingenieur).get(reverse("suivi:tableau_de_bord"), filtres))

    assert escape(str(sien)) in liste
    assert escape(str(mien)) not in liste


def test_une_rencontre_notee_se_voit_aussitot_malgre_le_cache(client, ingenieur, promotion):
    binome = BinomeFactory(promotion=promotion, referent=ingenieur)
    RencontreFactory(binome=binome, date=il_y_a(70))
    connecter(client, ingenieur)
    assert "Écart dépassé" in _liste(client.get(reverse("suivi:tableau_de_bord")))

    RencontreFactory(binome=binome, date=il_y_a(2))
    liste = _liste(client.get(reverse("suivi:tableau_de_bord")))

    assert "Dans les temps" in liste
    assert "Écart dépassé" not in liste


def test_promotion_par_defaut_la_derniere_qui_a_des_binomes(client, ingenieur, binome, promotion):
    PromotionFactory(est_courante=False, journee_lancement=promotion.journee_lancement + datetime.timedelta(days=400))

    reponse = connecter(client, ingenieur).get(reverse("suivi:tableau_de_bord"))

    assert reponse.context["promotion"] == promotion
    assert f'<option value="{promotion.pk}" selected>' in reponse.content.decode()


@pytest.mark.horloges
def test_tableau_de_bord_montre_les_transmissions(client, ingenieur, binome, mentore):
    Transmission.objects.create(binome=binome, moment=Moment.MI_PARCOURS, transmise_par=mentore)

    reponse = connecter(client, ingenieur).get(reverse("suivi:tableau_de_bord"))

    assert f"Mi-parcours ({timezone.localdate():%d/%m/%Y})" in reponse.content.decode()


def test_le_plus_long_ecart_compte_le_silence_en_cours(client, ingenieur, binome, lancement):
    RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=20))

    reponse = connecter(client, ingenieur).get(reverse("suivi:tableau_de_bord"))

    [tableau] = reponse.context["tableaux"]
    assert (tableau.jours_depuis, tableau.plus_long_ecart) == (80, 80)


def test_binome_arrete_le_silence_s_arrete_au_jour_de_l_arret(client, ingenieur, binome, lancement):
    RencontreFactory(binome=binome, date=lancement + datetime.timedelta(days=10))
    binome.statut, binome.date_arret = StatutBinome.ARRETE, lancement + datetime.timedelta(days=40)
    binome.save()

    reponse = connecter(client, ingenieur).get(reverse("suivi:tableau_de_bord"))

    [tableau] = reponse.context["tableaux"]
    assert (tableau.jours_depuis, tableau.plus_long_ecart) == (30, 30)
    assert 'stroke="#ce0500"' not in tableau.svg  # 90 days since, but no red: the pair stopped on day 40


def _liste(reponse) -> str:
    """The dashboard's list of pairs, the CSP nonces of the page around it aside."""
    contenu = reponse.content.decode()
    return contenu[contenu.index('id="tableau-de-bord"') : contenu.index("</table>")]


@pytest.mark.parametrize("nombre", [1, 20])
def test_tableau_de_bord_nombre_de_requetes_constant(client, ingenieur, promotion, django_assert_num_queries, nombre):
    for binome in BinomeFactory.create_batch(nombre, promotion=promotion, referent=ingenieur):
        RencontreFactory(binome=binome, date=il_y_a(20), themes=[ThemeFactory(nom="Finances")])
        RencontreFactory(binome=binome, date=il_y_a(-20), etat=EtatRencontre.PREVUE)
        Transmission.objects.create(binome=binome, moment=Moment.MI_PARCOURS)
    connecter(client, ingenieur)

    # session, user with its groups and second factor, default promotion, the data's version (the list's
    # cache key), then, the cache being empty: count of the pairs (pages), the page of pairs in urgency order, its pairs
    # with people, promotion and wished themes covered, their meetings (dates and states: the dashboard does not
    # show their themes), their transmissions; the promotions of the select; for engineers, the e-mails given up or
    # late (the outbox's three tables) and the periodic jobs' last runs
    with django_assert_num_queries(13):
        reponse = client.get(reverse("suivi:tableau_de_bord"))
    # The same page again, nothing changed: the list comes from the cache, up to the data's version.
    with django_assert_num_queries(9):
        encore = client.get(reverse("suivi:tableau_de_bord"))

    assert len(reponse.context["tableaux"]) == nombre
    assert _liste(encore) == _liste(reponse)
    assert _liste(encore).count("<tr>") == nombre + 1  # the header's row and one per pair


@pytest.mark.parametrize("nombre", [1, 6])
def test_tableau_de_bord_de_tous_les_etats_nombre_de_requetes_constant(
    client, ingenieur, promotion, django_assert_num_queries, nombre
):
    """Stops asked, stopped, finished and flagged unconfirmed pairs cost no query of their own, with the filter."""
    for _rang in range(nombre):
        demande = BinomeFactory(promotion=promotion, referent=ingenieur)
        Binome.objects.filter(pk=demande.pk).update(arret_demande_le=timezone.now(), arret_demande_par=ingenieur)
        BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.ARRETE, date_arret=il_y_a(3))
        BinomeFactory(promotion=promotion, referent=ingenieur, statut=StatutBinome.TERMINE)
        BinomeFactory(
            promotion=promotion, referent=ingenieur, statut=StatutBinome.PROPOSE, non_confirme_signale_le=timezone.now()
        )
    connecter(client, ingenieur)

    # As above, without the meetings' themes (no meeting here): the same for 4 pairs or 24.
    with django_assert_num_queries(13):
        tous = client.get(reverse("suivi:tableau_de_bord"))
    with django_assert_num_queries(12):  # the promotion asked for: no query to choose one
        demandes = client.get(
            reverse("suivi:tableau_de_bord"), {"promotion": promotion.pk, "situation": "arret_demande"}
        )

    assert [t.vigilance for t in tous.context["tableaux"]] == sorted(
        [Vigilance.ARRET_DEMANDE, Vigilance.NON_CONFIRME, Vigilance.TERMINE, Vigilance.ARRETE] * nombre,
        key=URGENCE.index,
    )
    assert {t.vigilance for t in demandes.context["tableaux"]} == {Vigilance.ARRET_DEMANDE}


def test_tableau_de_bord_interdit_aux_binomes_aux_candidats_et_au_pilote(client, binome, candidat, pilote):
    url = reverse("suivi:tableau_de_bord")

    assert connecter(client, binome.mentore.utilisateur).get(url).status_code == 403
    assert connecter(client, candidat.utilisateur).get(url).status_code == 403
    reponse = connecter(client, pilote).get(url)
    assert reponse.status_code == 403
    assert "Suivi des binômes" not in reponse.content.decode()  # nor in the pilot's menu


def test_le_menu_des_ingenieurs_mene_au_suivi(client, ingenieur, db):
    contenu = connecter(client, ingenieur).get(reverse("accueil")).content.decode()

    assert f'href="{reverse("suivi:tableau_de_bord")}"' in contenu


def test_administration_des_rencontres_reservee_aux_ingenieurs(client, pilote, ingenieur, binome):
    RencontreFactory(binome=binome, date=il_y_a(9))

    assert connecter(client, pilote).get("/admin/suivi/rencontre/").status_code == 403
    assert connecter(client, pilote).get("/admin/suivi/transmission/").status_code == 403
    # Which pair let its meetings drift is a tracking fact too: the reminders are the engineers' only.
    assert connecter(client, pilote).get("/admin/suivi/rappel/").status_code == 403
    assert connecter(client, pilote).get("/admin/suivi/jetoncalendrier/").status_code == 403
    assert connecter(client, ingenieur).get("/admin/suivi/rencontre/").status_code == 200
    assert connecter(client, ingenieur).get("/admin/suivi/rappel/").status_code == 200


@pytest.mark.parametrize("nom", ["suivi:export_csv", "suivi:export_pdf"])
def test_exports_reserves_aux_ingenieurs(client, binome, mentor, intrus, candidat, pilote, nom):
    url = reverse(nom, args=[binome.promotion.pk])

    for personne in (mentor, intrus, candidat.utilisateur, pilote):
        assert connecter(client, personne).get(url).status_code == 404, personne


def test_export_csv(client, ingenieur, binome):
    RencontreFactory(binome=binome, date=datetime.date(2031, 3, 4), themes=[ThemeFactory(nom="Budget")])

    reponse = connecter(client, ingenieur).get(reverse("suivi:export_csv", args=[binome.promotion.pk]))

    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert lignes[0] == "Binôme;Mentoré·e;Mentor;Situation;Date;État;Modalité;Thématiques;Écart (jours)"
    mentore, mentor = binome.mentore.utilisateur, binome.mentor.utilisateur
    assert lignes[1].startswith(f"{binome.pk};{mentore};{mentor};Dans les temps;2031-03-04;Tenue;En présentiel;Budget;")


def test_export_csv_binome_sans_rencontre_a_confirmer_et_formule_neutralisee(client, ingenieur, binome, promotion):
    sans_rencontre = BinomeFactory(promotion=promotion)
    RencontreFactory(binome=binome, date=il_y_a(3), etat=EtatRencontre.PREVUE, autre_theme='=HYPERLINK("x")')

    reponse = connecter(client, ingenieur).get(reverse("suivi:export_csv", args=[promotion.pk]))

    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))[1:]
    personnes = [str(binome.pk), str(binome.mentore.utilisateur), str(binome.mentor.utilisateur), "Écart dépassé"]
    assert lignes[0] == [*personnes, il_y_a(3).isoformat(), "À confirmer", "En présentiel", '\'=HYPERLINK("x")', ""]
    autre = sans_rencontre
    assert lignes[1] == [
        str(autre.pk),
        str(autre.mentore.utilisateur),
        str(autre.mentor.utilisateur),
        "Écart dépassé",
        *[""] * 5,
    ]


def test_export_pdf_une_section_par_binome_dates_modes_themes(client, ingenieur, binome, promotion):
    autre = BinomeFactory(promotion=promotion)
    RencontreFactory(binome=binome, date=il_y_a(12), themes=[ThemeFactory(nom="Dialogue social")])

    reponse = connecter(client, ingenieur).get(reverse("suivi:export_pdf", args=[promotion.pk]))

    assert reponse["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(reponse.content)).pages
    texte = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert f"Tableaux de suivi — promotion {promotion.nom}" in texte
    assert f"Binôme {binome}" in texte
    assert f"Binôme {autre}" in texte
    # pypdf may split a word at a kerning pair ("T enue"): compare the meeting's line without spaces.
    assert f"{il_y_a(12):%d/%m/%Y}Tenue—Enprésentiel—Dialoguesocial" in texte.replace(" ", "")
    assert "Page 1 sur 1" in texte


@pytest.mark.horloges
def test_export_pdf_etat_du_binome_transmissions_et_rencontre_a_confirmer(client, ingenieur, binome, mentore):
    RencontreFactory(binome=binome, date=il_y_a(3), etat=EtatRencontre.PREVUE)
    Transmission.objects.create(binome=binome, moment=Moment.MI_PARCOURS, transmise_par=mentore)

    reponse = connecter(client, ingenieur).get(reverse("suivi:export_pdf", args=[binome.promotion.pk]))

    texte = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(reponse.content)).pages)
    assert "— binôme actif." in texte
    assert f"Mi-parcours : tableau transmis le {timezone.localdate():%d/%m/%Y}." in texte
    assert f"{il_y_a(3):%d/%m/%Y}Àconfirmer" in texte.replace(" ", "")


def test_export_pdf_ecarts_entre_rencontres_tenues_et_resume_du_binome(client, ingenieur, binome, promotion):
    # Held 90 and 20 days ago, one planned between them and never confirmed: the gaps run from the launch day, then
    # between held meetings only.
    RencontreFactory(binome=binome, date=il_y_a(90))
    RencontreFactory(binome=binome, date=il_y_a(50), etat=EtatRencontre.PREVUE)
    RencontreFactory(binome=binome, date=il_y_a(20))
    premier = (il_y_a(90) - promotion.journee_lancement).days

    reponse = connecter(client, ingenieur).get(reverse("suivi:export_pdf", args=[promotion.pk]))

    texte = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(reponse.content)).pages)
    sans_espaces = texte.replace(" ", "")
    assert f"2 rencontres tenues — référent·e : {ingenieur} — binôme actif." in texte
    assert "Tableaupasencoretransmis." in sans_espaces
    assert f"{il_y_a(90):%d/%m/%Y}Tenue—Enprésentiel({premier}jours)" in sans_espaces
    # 70 days between the two held meetings: more than the eight weeks allowed, the unconfirmed one not counted.
    assert f"{il_y_a(20):%d/%m/%Y}Tenue—Enprésentiel(70jours)" in sans_espaces
    assert f"{il_y_a(50):%d/%m/%Y}Àconfirmer—Enprésentiel" in sans_espaces
    assert "Àconfirmer—Enprésentiel(" not in sans_espaces


def test_export_pdf_plusieurs_pages_numerotees(client, ingenieur, promotion):
    # One row per pair, its meetings one line each: fifteen pairs of nine meetings fill more than a page.
    for binome in BinomeFactory.create_batch(15, promotion=promotion):
        for jours in range(5, 95, 10):
            RencontreFactory(binome=binome, date=il_y_a(jours), themes=ThemeFactory.create_batch(2))

    reponse = connecter(client, ingenieur).get(reverse("suivi:export_pdf", args=[promotion.pk]))

    pages = PdfReader(io.BytesIO(reponse.content)).pages
    assert len(pages) > 1
    derniere = " ".join(pages[-1].extract_text().split())
    assert f"Page {len(pages)} sur {len(pages)}" in derniere


def test_flux_ics_du_mentore(client, binome, mentore):
    RencontreFactory(binome=binome, date=il_y_a(-15), etat=EtatRencontre.PREVUE)
    contenu = connecter(client, mentore).get(reverse("suivi:calendrier")).content.decode()
    jeton = mentore.jeton_calendrier.jeton
    assert jeton in contenu
    client.logout()

    reponse = client.get(reverse("suivi:ics", args=[jeton]))

    assert reponse["Content-Type"] == "text/calendar; charset=utf-8"
    evenements = Calendar.from_ical(reponse.content).walk("VEVENT")
    resumes = [(e.decoded("dtstart"), str(e["summary"])) for e in evenements]
    promotion = binome.promotion
    assert resumes == [
        (promotion.journee_lancement, f"Journée de lancement — {promotion}"),
        (il_y_a(-15), "Rencontre de mentorat (prévue)"),
        (promotion.evenement_mi_parcours, f"Temps collectif de mi-parcours (à distance) — {promotion}"),
        (promotion.journee_bilan, f"Journée de bilan — {promotion}"),
    ]


def test_flux_ics_mauvais_jeton_404_et_lien_regenere(client, mentore, binome):
    connecter(client, mentore).get(reverse("suivi:calendrier"))
    ancien = mentore.jeton_calendrier.jeton
    client.post(reverse("suivi:regenerer_lien"))
    client.logout()

    assert client.get(reverse("suivi:ics", args=["pas-le-bon"])).status_code == 404
    assert client.get(reverse("suivi:ics", args=[ancien])).status_code == 404
    mentore.jeton_calendrier.refresh_from_db()
    assert client.get(reverse("suivi:ics", args=[mentore.jeton_calendrier.jeton])).status_code == 200


def test_frise_rouge_pour_les_ecarts_depasses(binome, lancement):
    from suivi.frise import segments_depasses

    tenues = [lancement + datetime.timedelta(days=d) for d in (30, 100)]

    assert segments_depasses(lancement, tenues, timezone.localdate(), datetime.timedelta(weeks=8)) == [
        (tenues[0], tenues[1])
    ]


def test_frise_a_une_alternative_textuelle(binome, lancement):
    from suivi.frise import Point, dessiner

    svg = dessiner(
        debut=lancement,
        fin=binome.promotion.fin,
        evenements=binome.promotion.evenements(),
        points=[Point(lancement + datetime.timedelta(days=70), True), Point(il_y_a(-10), False)],
        aujourd_hui=timezone.localdate(),
        ecart_max=datetime.timedelta(weeks=8),
    )

    assert 'role="img"' in svg
    assert "<desc>1 rencontre tenue, 1 prévue, 1 période de plus de 8 semaines sans rencontre.</desc>" in svg
    assert svg.count('stroke="#ce0500"') == 1


@pytest.mark.parametrize("nombre", [1, 15])
def test_export_csv_nombre_de_requetes_constant(client, ingenieur, promotion, django_assert_num_queries, nombre):
    for binome in BinomeFactory.create_batch(nombre, promotion=promotion):
        RencontreFactory(binome=binome, date=il_y_a(20), themes=[ThemeFactory(nom="Finances")])
    connecter(client, ingenieur)
    ContentType.objects.get_for_model(Promotion)  # read once per process, then cached: not the export's cost

    # session, user with its groups and second factor, promotion, pairs with people, their meetings, the
    # meetings' themes, their transmissions (shared with the PDF), the journal's entry of the export
    with django_assert_num_queries(8):
        reponse = client.get(reverse("suivi:export_csv", args=[promotion.pk]))

    assert len(reponse.content.decode("utf-8-sig").splitlines()) == nombre + 1


def test_les_pages_gardent_l_ordre_d_urgence(client, ingenieur, binomes_varies, monkeypatch):
    """Ordered by the database, then cut into pages: the most urgent pair leads page 1, the stopped one ends page 2."""
    monkeypatch.setattr("suivi.views.BINOMES_PAR_PAGE", 2)
    a_jour, surveiller, depasse, arrete = binomes_varies
    connecter(client, ingenieur)

    page_1 = client.get(reverse("suivi:tableau_de_bord"))
    page_2 = client.get(reverse("suivi:tableau_de_bord"), {"page": "2"})
    page_absurde = client.get(reverse("suivi:tableau_de_bord"), {"page": "99999999999999999999"})

    assert [t.binome for t in page_1.context["tableaux"]] == [depasse, surveiller]
    assert [t.binome for t in page_2.context["tableaux"]] == [a_jour, arrete]
    assert [t.binome for t in page_absurde.context["tableaux"]] == [a_jour, arrete]  # the last page
    assert "Page 1 sur 2" in page_1.content.decode()
    assert "4 binômes, du plus urgent au moins urgent" in page_1.content.decode()


def test_l_ordre_de_la_base_est_celui_des_tableaux(ingenieur, promotion, lancement):
    """`par_urgence` (SQL) and `Tableau.cle_urgence` (Python) agree, stopped pairs and silences included."""
    from binomes.models import Binome
    from suivi import tableau

    for jours in (0, 5, 41, 42, 43, 56, 57, 90):
        binome = BinomeFactory(promotion=promotion, referent=ingenieur)
        if jours:
            RencontreFactory(binome=binome, date=il_y_a(jours))
    arrete = BinomeFactory(promotion=promotion, statut=StatutBinome.ARRETE, date_arret=il_y_a(3))
    RencontreFactory(binome=arrete, date=il_y_a(80))
    aujourd_hui = timezone.localdate()

    binomes = Binome.objects.filter(promotion=promotion)
    par_la_base = list(tableau.par_urgence(binomes, promotion, aujourd_hui))
    par_sous_requete = list(tableau.par_urgence(binomes, promotion, aujourd_hui, par_sous_requete=True))
    par_python = sorted(
        (tableau.construire(b, aujourd_hui) for b in Binome.objects.filter(promotion=promotion).order_by("pk")),
        key=lambda t: t.cle_urgence,
    )

    assert [b.pk for b in par_la_base] == [b.pk for b in par_sous_requete] == [t.binome.pk for t in par_python]
    assert [b.silence for b in par_la_base] == [b.silence for b in par_sous_requete]


def test_le_tableau_de_bord_ouvre_sur_la_promotion_dont_l_annee_court(client, ingenieur, binome, promotion):
    """The promotion recruiting now has a pair too (formed early): the one whose year runs comes first."""
    promotion.est_courante = False
    promotion.save()
    recrute = PromotionFactory(
        est_courante=True,
        nom="Suivante",
        journee_lancement=timezone.localdate() + datetime.timedelta(days=120),
    )
    BinomeFactory(promotion=recrute, statut=StatutBinome.CONFIRME)

    reponse = connecter(client, ingenieur).get(reverse("suivi:tableau_de_bord"))

    assert reponse.context["promotion"] == promotion


@pytest.mark.parametrize("nom", ["suivi:export_csv", "suivi:export_pdf"])
def test_les_exports_suivent_le_filtre_mes_binomes(client, ingenieur, binome, promotion, nom):
    autre = BinomeFactory(promotion=promotion, mentore__utilisateur__nom="Autrereferent")
    connecter(client, ingenieur)
    page = client.get(reverse("suivi:tableau_de_bord"), {"promotion": promotion.pk, "mes_binomes": "on"})
    lien = reverse(nom, args=[promotion.pk]) + "?mes_binomes=on"

    tous = client.get(reverse(nom, args=[promotion.pk]))
    les_miens = client.get(lien)

    assert lien in page.content.decode().replace("&amp;", "&")
    if nom == "suivi:export_csv":
        assert "Autrereferent" in tous.content.decode("utf-8-sig")
        assert "Autrereferent" not in les_miens.content.decode("utf-8-sig")
    else:
        texte = "".join(page.extract_text() for page in PdfReader(io.BytesIO(les_miens.content)).pages)
        tout = "".join(page.extract_text() for page in PdfReader(io.BytesIO(tous.content)).pages)
        assert "Autrereferent" in tout
        assert "Autrereferent" not in texte
    assert autre.referent != ingenieur
