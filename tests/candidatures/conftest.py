"""Valid form data for the two application forms."""

import datetime

import pytest

from candidatures.models import Theme


def donnees_mentore(promotion, **surcharges) -> dict:
    theme = Theme.objects.order_by("ordre")[0]
    donnees = {
        "prenom": "Aurore",
        "nom": "Delabarre",
        "email": "aurore.delabarre@ch-exemple.fr",
        "password1": "Une-phrase-de-passe-2025",
        "password2": "Une-phrase-de-passe-2025",
        "corps": "DH",
        "fonction": "Directrice adjointe des finances",
        "etablissement": "Centre hospitalier de Libourne",
        "type_etablissement": "sanitaire",
        "ght": "GHT Alliance de Gironde",
        "departement": "33",
        "telephone": "05 56 00 00 00",
        "date_premier_poste": promotion.date_premier_poste.isoformat(),
        "themes": [str(theme.pk)],
        "motivation": "Prendre du recul sur ma première prise de poste.",
        "mode_rencontre": "les_deux",
        "enjeux_declares": "",
        "charte_acceptee": "on",
        "consentement_donnees": "on",
    }
    donnees.update(surcharges)
    return donnees


def donnees_mentor(promotion, **surcharges) -> dict:
    donnees = donnees_mentore(promotion)
    del donnees["date_premier_poste"]
    donnees.update(
        {
            "prenom": "Bastien",
            "nom": "Courtemanche",
            "email": "bastien.courtemanche@ch-exemple.fr",
            "fonction": "Directeur général",
            "carriere_geree_cng": "on",
            "debut_fonctions_direction": "2005-03-01",
            "postes_direction": "3",
        }
    )
    donnees.update(surcharges)
    return donnees


@pytest.fixture
def promotion_ouverte(promotion):
    """The factories' promotion, deadline on a known Paris day for seniority boundaries."""
    return promotion


@pytest.fixture
def il_y_a():
    def calcul(reference: datetime.date, annees: int, jours: int = 0) -> datetime.date:
        return reference.replace(year=reference.year - annees) + datetime.timedelta(days=jours)

    return calcul


@pytest.fixture
def apres_commit(django_capture_on_commit_callbacks):
    """Runs what the code enqueued with `transaction.on_commit` (the e-mail tasks) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
