"""The demo world's foundation: three promotions (finished, half-way, open) and the committee's accounts.

Every app adds its part in its own `demo.py` (a `peupler(monde)` function) and
the `demo` command runs them in dependency order. Each step is idempotent.
"""

import datetime
import functools
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from .models import GROUPE_INGENIEUR, GROUPE_PILOTE, Promotion, Utilisateur

MOT_DE_PASSE_DEMO = "Mentorat-demo-2025"

# Fictitious people only.
COMITE = [
    ("pilote@mentorat.example.fr", "Bérénice", "Lavalette", GROUPE_PILOTE),
    ("ingenieure@mentorat.example.fr", "Solène", "Marchetti", GROUPE_INGENIEUR),
    ("ingenieur@mentorat.example.fr", "Gaël", "Fontanier", GROUPE_INGENIEUR),
    ("ingenieure2@mentorat.example.fr", "Maëlle", "Roussillon", GROUPE_INGENIEUR),
]


@dataclass
class Monde:
    """What the demo steps share: the promotions, the committee and a seeded random source."""

    courante: Promotion
    en_cours: Promotion
    pilote: Utilisateur
    ingenieurs: list[Utilisateur]
    aujourd_hui: datetime.date
    rng: random.Random = field(default_factory=lambda: random.Random(2024))  # noqa: S311 - demo data
    terminee: Promotion | None = None  # the year before `en_cours`: its bilan day is past, its pairs finished


@functools.cache
def _empreinte_du_mot_de_passe() -> str:
    """Argon2 takes a fifth of a second by design: the demo's one password is hashed once for its ~70 accounts."""
    return make_password(MOT_DE_PASSE_DEMO)


def creer_compte(email: str, prenom: str, nom: str, **champs) -> Utilisateur:
    """A demo account, whose password is the demo's one (`MOT_DE_PASSE_DEMO`)."""
    return Utilisateur.objects.create(
        email=email, prenom=prenom, nom=nom, password=_empreinte_du_mot_de_passe(), **champs
    )


def _le(jour: datetime.date, heure: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, heure))


def _ouverture(jour: datetime.date) -> datetime.datetime:
    return _le(jour, datetime.time(9, 0))


def _cloture(jour: datetime.date) -> datetime.datetime:
    return _le(jour, datetime.time(23, 59))


def _mercredi(jour: datetime.date) -> datetime.date:
    """The first Wednesday on or after `jour`: collective days fall on working days."""
    return jour + datetime.timedelta(days=(2 - jour.weekday()) % 7)


def _nom(lancement: datetime.date) -> str:
    return f"{lancement.year}/{lancement.year + 1}"


def creer_promotions(aujourd_hui: datetime.date) -> tuple[Promotion, Promotion]:
    """The open promotion (applications open today) and the previous one, half-way through its year."""
    lancement_en_cours = _mercredi(aujourd_hui - datetime.timedelta(days=220))
    en_cours, _ = Promotion.objects.update_or_create(
        nom=_nom(lancement_en_cours),
        defaults={
            "est_courante": False,
            "date_premier_poste": lancement_en_cours - datetime.timedelta(days=100),
            "ouverture_candidatures": _ouverture(lancement_en_cours - datetime.timedelta(days=150)),
            "cloture_candidatures": _cloture(lancement_en_cours - datetime.timedelta(days=60)),
            "journee_lancement": lancement_en_cours,
            # The committee let the pairs confirm from the week before the launch day (one pair did).
            "ouverture_confirmation": lancement_en_cours - datetime.timedelta(days=7),
            "lieu_lancement": "Paris",
            "evenement_mi_parcours": _mercredi(aujourd_hui - datetime.timedelta(days=26)),
            "journee_bilan": _mercredi(lancement_en_cours + datetime.timedelta(days=340)),
            "fin": lancement_en_cours + datetime.timedelta(days=370),
            "email_contact": "mentorat@cng.example.fr",
        },
    )
    lancement = _mercredi(aujourd_hui + datetime.timedelta(days=140))
    Promotion.objects.exclude(nom=_nom(lancement)).update(est_courante=False)
    courante, _ = Promotion.objects.update_or_create(
        nom=_nom(lancement),
        defaults={
            "est_courante": True,
            "date_premier_poste": aujourd_hui + datetime.timedelta(days=40),
            "ouverture_candidatures": _ouverture(aujourd_hui - datetime.timedelta(days=20)),
            "cloture_candidatures": _cloture(aujourd_hui + datetime.timedelta(days=60)),
            # As many mentee places as the demo retains mentees: three more wait on the list (candidatures.demo).
            "places_mentores": 6,
            "journee_lancement": lancement,
            "lieu_lancement": "Paris",
            "evenement_mi_parcours": _mercredi(lancement + datetime.timedelta(days=200)),
            "journee_bilan": _mercredi(lancement + datetime.timedelta(days=340)),
            "fin": lancement + datetime.timedelta(days=370),
            "email_contact": "mentorat@cng.example.fr",
        },
    )
    return courante, en_cours


def creer_promotion_terminee(en_cours: Promotion) -> Promotion:
    """The promotion of the year before `en_cours`: its whole year, bilan day included, is over."""
    lancement = _mercredi(en_cours.journee_lancement - datetime.timedelta(days=365))
    terminee, _ = Promotion.objects.update_or_create(
        nom=_nom(lancement),
        defaults={
            "est_courante": False,
            "date_premier_poste": lancement - datetime.timedelta(days=100),
            "ouverture_candidatures": _ouverture(lancement - datetime.timedelta(days=150)),
            "cloture_candidatures": _cloture(lancement - datetime.timedelta(days=60)),
            "journee_lancement": lancement,
            "lieu_lancement": "Paris",
            "evenement_mi_parcours": _mercredi(lancement + datetime.timedelta(days=200)),
            "journee_bilan": _mercredi(lancement + datetime.timedelta(days=340)),
            "fin": lancement + datetime.timedelta(days=370),
            "email_contact": "mentorat@cng.example.fr",
        },
    )
    return terminee


def creer_comite() -> list[Utilisateur]:
    membres = []
    for email, prenom, nom, groupe in COMITE:
        membre = Utilisateur.objects.filter(email=email).first()
        if membre is None:
            membre = creer_compte(email, prenom, nom, is_staff=True, email_confirme=True)
        membre.groups.add(Group.objects.get(name=groupe))
        membres.append(membre)
    return membres


def creer_monde(aujourd_hui: datetime.date | None = None) -> Monde:
    aujourd_hui = aujourd_hui or timezone.localdate()
    courante, en_cours = creer_promotions(aujourd_hui)
    pilote, *ingenieurs = creer_comite()
    return Monde(
        courante=courante,
        en_cours=en_cours,
        pilote=pilote,
        ingenieurs=ingenieurs,
        aujourd_hui=aujourd_hui,
        terminee=creer_promotion_terminee(en_cours),
    )
