"""Demo applications, submitted and decided through the same services as the forms and the admin.

- `monde.en_cours` (half-way through its year): 12 mentees and 12 mentors retained, in every corps and many
  regions; mentor and mentee n°0 share an establishment and n°1 a GHT, so that the matching exclusions
  show; two applications not retained (one oriented to coaching, one to a workshop) and one withdrawn.
- `monde.terminee` (its year over): 4 mentees and 4 mentors retained.
- `monde.courante` (open today): 43 applications of every status, including retained mentees and mentors
  for the committee's matching screen; its 6 mentee places are taken, and 3 more mentees wait on the waiting list.
Fictitious people only. Idempotent: an e-mail address that already applied to the promotion is skipped.
The `demo` command decides where the e-mails go.
"""

import datetime
from dataclasses import dataclass

from django.utils.text import slugify

from mentorat.demo import Monde, creer_compte
from mentorat.models import Corps, Promotion, Utilisateur

from . import services
from .departements import departements
from .eligibilite import ajouter_annees
from .models import Candidature, ModeRencontre, Orientation, Role, Statut, Theme, TypeEtablissement

PRENOMS = [
    "Anouk", "Basile", "Capucine", "Dorian", "Elsa", "Firmin", "Garance", "Hippolyte", "Ilona", "Jordan",
    "Katell", "Lazare", "Maïwenn", "Noé", "Ophélie", "Pacôme", "Quitterie", "Romuald", "Salomé", "Tristan",
]  # fmt: skip
NOMS = [
    "Abgrall", "Bellec", "Castagnet", "Dufresnoy", "Escudié", "Ferracci", "Guérineau", "Hamelin", "Iturbide",
    "Jacquemart", "Kerjean", "Lassalle", "Marcadet", "Noirclerc", "Oudinot", "Peyrebrune", "Quéméner",
    "Rouvière", "Sabatier", "Tessandier", "Urvoy", "Vaissière",
]  # fmt: skip
DEPARTEMENTS = [
    "33",
    "64",
    "35",
    "29",
    "69",
    "13",
    "59",
    "67",
    "31",
    "44",
    "34",
    "21",
    "51",
    "87",
    "63",
    "45",
    "76",
    "2A",
]
CORPS = [Corps.DH, Corps.D3S, Corps.DS]
TYPES = [TypeEtablissement.SANITAIRE, TypeEtablissement.MEDICO_SOCIAL, TypeEtablissement.SOCIAL]
MODES = [ModeRencontre.LES_DEUX, ModeRencontre.PRESENTIEL, ModeRencontre.VISIO]


@dataclass(frozen=True)
class Profil:
    """One demo applicant and the decisions the committee takes on their application."""

    numero: int
    role: Role
    decisions: tuple[Statut, ...] = ()
    orientation: Orientation = Orientation.AUCUNE
    partage: str = ""  # "etablissement" or "ght": shared with the profile of the other role and same number


# General objectives, never a situation: mentees state two or three of them (chosen by their number, not by the
# random generator, so that the demo's other draws stay as they were).
OBJECTIFS = [
    "Trouver ma place dans une équipe de direction",
    "Préparer un premier dialogue social",
    "Piloter un budget en tension",
    "Conduire un projet d'établissement",
    "Gagner en recul sur mes décisions",
]


def _objectifs(profil: Profil) -> list[str]:
    if profil.role != Role.MENTORE:
        return []
    debut = profil.numero % len(OBJECTIFS)
    return [OBJECTIFS[(debut + k) % len(OBJECTIFS)] for k in range(2 + profil.numero % 2)]


def _email(promotion: Promotion, profil: Profil) -> str:
    return f"{profil.role}.{profil.numero}.{slugify(promotion.nom)}@demo-mentorat.example.fr"


def _situation(profil: Profil, rng) -> dict:
    departement = departements()[DEPARTEMENTS[(profil.numero * 5 + (profil.role == Role.MENTOR)) % len(DEPARTEMENTS)]]
    if profil.partage == "etablissement":
        departement = departements()["24"]
    if profil.partage == "ght":
        departement = departements()["29"]
    etablissement = f"Centre hospitalier de {departement.prefecture}"
    ght = f"GHT {departement.nom}"
    if profil.partage == "ght":
        # Two establishments of the same GHT.
        etablissement = "Centre hospitalier de Landerneau" if profil.role == Role.MENTOR else "CHU de Brest"
        ght = "GHT Bretagne occidentale"
    return {
        "telephone": "",
        "corps": CORPS[profil.numero % 3],
        "fonction": "Directeur général" if profil.role == Role.MENTOR else "Directrice adjointe",
        "etablissement": etablissement,
        "type_etablissement": TYPES[profil.numero % 3],
        "ght": ght,
        "departement": departement.code,
        "motivation": rng.choice(
            [
                "Transmettre ce que les premières années m'ont appris.",
                "Prendre du recul sur une première prise de poste exigeante.",
                "Échanger avec un pair hors de toute relation hiérarchique.",
            ]
        ),
        "mode_rencontre": MODES[profil.numero % 3],
        "enjeux_declares": "",
        "consentement_donnees": True,
        "charte_acceptee": True,
    }


def _parcours(profil: Profil, promotion: Promotion, corps: str) -> dict:
    if profil.role == Role.MENTORE:
        return {"date_premier_poste": promotion.date_premier_poste}
    reference = promotion.date_reference_anciennete
    if corps == Corps.DS:
        return {
            "carriere_geree_cng": True,
            "debut_exercice_encadrement": ajouter_annees(reference, -18 - profil.numero % 5),
            "debut_fonctions_ds": ajouter_annees(reference, -8 - profil.numero % 4),
        }
    return {
        "carriere_geree_cng": True,
        "debut_fonctions_direction": ajouter_annees(reference, -16 - profil.numero % 9),
        "postes_direction": 2 + profil.numero % 3,
    }


def _deposer(monde: Monde, promotion: Promotion, profil: Profil, themes: list[Theme]) -> None:
    email = _email(promotion, profil)
    if Candidature.objects.filter(promotion=promotion, utilisateur__email=email).exists():
        return
    donnees = _situation(profil, monde.rng)
    donnees |= _parcours(profil, promotion, donnees["corps"])
    donnees["objectifs"] = _objectifs(profil)
    le = promotion.ouverture_candidatures + datetime.timedelta(hours=5 + profil.numero * 7)
    # The account an applicant creates with the form; most followed the confirmation link, a few of the open
    # promotion's have not yet (the committee's screens show it, the proposal leaves them out). The demo's
    # password is hashed once for all (`creer_compte`), rather than once per account by the submission service.
    utilisateur = Utilisateur.objects.filter(email=email).first() or creer_compte(
        email,
        PRENOMS[(profil.numero * 3 + (profil.role == Role.MENTOR)) % len(PRENOMS)],
        NOMS[(profil.numero * 7 + 2 * (profil.role == Role.MENTOR)) % len(NOMS)],
        email_confirme=not (promotion.est_courante and profil.numero in ADRESSES_NON_CONFIRMEES),
    )
    candidature = services.soumettre_candidature(
        promotion=promotion,
        role=profil.role,
        donnees=donnees,
        themes=monde.rng.sample(themes, k=3),
        utilisateur=utilisateur,
        le=le,
    )
    comite = [monde.pilote, *monde.ingenieurs]
    for rang, statut in enumerate(profil.decisions, start=1):
        par = candidature.utilisateur if statut == Statut.RETIREE else comite[(profil.numero + rang) % len(comite)]
        orientation = profil.orientation if statut == Statut.NON_RETENUE else Orientation.AUCUNE
        services.changer_statut(
            candidature=candidature,
            statut=statut,
            par=par,
            orientation=orientation,
            le=le + datetime.timedelta(days=rang),
        )
    # Dated inside the application window, like its decisions, rather than on the day the demo runs.
    modifiee_le = le + datetime.timedelta(days=len(profil.decisions))
    Candidature.objects.filter(pk=candidature.pk).update(cree_le=le, modifie_le=modifiee_le)


RETENUE = (Statut.RECEVABLE, Statut.RETENUE)
# Applicants of the open promotion who have not confirmed their address: one just submitted, one retained.
ADRESSES_NON_CONFIRMEES = {3, 22}


def _profils_en_cours() -> list[Profil]:
    profils = []
    for numero in range(12):
        partage = {0: "etablissement", 1: "ght"}.get(numero, "")
        profils.append(Profil(numero, Role.MENTORE, RETENUE, partage=partage))
        profils.append(Profil(numero, Role.MENTOR, RETENUE, partage=partage))
    return [
        *profils,
        Profil(12, Role.MENTORE, (Statut.RECEVABLE, Statut.NON_RETENUE), Orientation.COACHING),
        Profil(12, Role.MENTOR, (Statut.RECEVABLE, Statut.NON_RETENUE), Orientation.ATELIER),
        Profil(13, Role.MENTORE, (Statut.RETIREE,)),
    ]


def _profils_courante() -> list[Profil]:
    suites = (
        [()] * 10
        + [(Statut.RECEVABLE,)] * 8
        + [(Statut.NON_RECEVABLE,)] * 3
        + [RETENUE] * 12
        + [(Statut.RECEVABLE, Statut.NON_RETENUE)] * 4
        + [(Statut.RETIREE,)] * 3
    )
    orientations = [Orientation.COACHING, Orientation.ATELIER, Orientation.AUCUNE, Orientation.COACHING]
    profils = []
    for numero, decisions in enumerate(suites):
        role = Role.MENTOR if numero % 2 else Role.MENTORE
        orientation = orientations[numero % 4] if Statut.NON_RETENUE in decisions else Orientation.AUCUNE
        profils.append(Profil(numero, role, decisions, orientation))
    # Retained beyond the places: the waiting list, ranks 1 to 3 in this order.
    profils += [Profil(numero, Role.MENTORE, (Statut.RECEVABLE, Statut.LISTE_ATTENTE)) for numero in (40, 42, 44)]
    return profils


def _profils_termines() -> list[Profil]:
    """The finished promotion: four mentees and four mentors retained, who made four pairs."""
    return [Profil(numero, role, RETENUE) for numero in range(2, 6) for role in (Role.MENTORE, Role.MENTOR)]


def peupler(monde: Monde) -> None:
    themes = list(Theme.objects.filter(actif=True))
    if monde.terminee is not None:
        for profil in _profils_termines():
            _deposer(monde, monde.terminee, profil, themes)
    for profil in _profils_en_cours():
        _deposer(monde, monde.en_cours, profil, themes)
    for profil in _profils_courante():
        _deposer(monde, monde.courante, profil, themes)
