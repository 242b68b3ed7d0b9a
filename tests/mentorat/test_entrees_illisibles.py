"""NUL bytes and absurd values in any address or query string: a 400 or a 404 in French, never a 500.

Every changelist of the committee's admin is walked with hostile filters (each `list_filter`, the date hierarchy,
search, ordering, page), by a superuser and by an engineer (the tracking lists are theirs only).
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import IngenieurFactory

MODELES = sorted(admin.site._registry.items(), key=lambda paire: paire[0]._meta.label)
NUL = "%00"
ABSURDE = "99999999999999999999"


def _parametres(modele_admin) -> list[str]:
    """Hostile query strings for one changelist."""
    requetes = [f"q={NUL}", f"o={NUL}", f"p={NUL}", f"p={ABSURDE}", f"o={ABSURDE}", f"all={NUL}", f"e={NUL}"]
    requetes += [f"{NUL}=1", f"_changelist_filters={NUL}"]
    for filtre in modele_admin.list_filter:
        nom = filtre if isinstance(filtre, str) else filtre[0] if isinstance(filtre, tuple) else filtre.parameter_name
        if not isinstance(nom, str):
            continue
        for suffixe in ("", "__exact", "__id__exact", "__in", "__isnull", "__gte", "__lt"):
            requetes += [f"{nom}{suffixe}={NUL}", f"{nom}{suffixe}={ABSURDE}", f"{nom}{suffixe}=-{ABSURDE}"]
    if modele_admin.date_hierarchy:
        champ = modele_admin.date_hierarchy
        requetes += [
            f"{champ}__year={ABSURDE}",
            f"{champ}__year={NUL}",
            f"{champ}__year=0",
            f"{champ}__year=-1",
            f"{champ}__year=2024&{champ}__month=13",
            f"{champ}__year=2024&{champ}__month=2&{champ}__day=31",
            f"{champ}__year=2024&{champ}__month={ABSURDE}",
            f"{champ}__year=2024&{champ}__month=1&{champ}__day={NUL}",
        ]
    return requetes


@pytest.fixture
def ingenieur_client(client, db):
    client.force_login(IngenieurFactory())
    return client


@pytest.mark.parametrize(("modele", "modele_admin"), MODELES, ids=[m._meta.label for m, _ in MODELES])
def test_listes_de_l_admin_sans_erreur_du_serveur(admin_client, ingenieur_client, modele, modele_admin):
    liste = reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_changelist")
    erreurs = []
    for client in (admin_client, ingenieur_client):
        client.raise_request_exception = False
        for requete in _parametres(modele_admin):
            statut = client.get(f"{liste}?{requete}").status_code
            if statut >= 500:
                erreurs.append((requete, statut))
        for suffixe in (f"{NUL}/change/", f"1{NUL}/change/", f"{ABSURDE}/change/", f"{NUL}/history/", f"{NUL}/delete/"):
            statut = client.get(f"{liste}{suffixe}").status_code
            if statut >= 500:
                erreurs.append((suffixe, statut))

    assert erreurs == []


@pytest.mark.parametrize(
    "adresse",
    [
        "/calendrier/%00.ics",
        "/calendrier/abc%00def.ics",
        "/questionnaire/%00/",
        "/candidature/confirmer/%00/%00/",
        "/compte/mot-de-passe/nouveau/%00/%00/",
        "/%00/",
        "/?promotion=%00",
        "/suivi/?page=%00",
        "/compte/connexion/?next=%00",
        "/admin/?q=%00",
        "/admin/candidatures/candidature/?statut__exact=%00",
        "/admin/mentorat/entreejournal/?le__year=99999999999999999999",
    ],
)
def test_un_caractere_nul_ou_une_date_absurde_donne_une_page_400_en_francais(client, db, adresse):
    client.raise_request_exception = False

    reponse = client.get(adresse)

    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "Requête invalide" in contenu
    assert "Rien n'a été enregistré." in contenu
    assert "no-store" in reponse["Cache-Control"]
    assert "script-src 'self'" in reponse["Content-Security-Policy"]


@pytest.mark.parametrize("adresse", ["/espace/binome/99999999999999999999/", "/questionnaire/99999999999999999999/"])
def test_un_nombre_absurde_dans_le_chemin_donne_une_404(client, ingenieur, adresse):
    client.force_login(ingenieur)
    client.raise_request_exception = False

    assert client.get(adresse).status_code == 404
