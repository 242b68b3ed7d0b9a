"""What the service holds about one person, for them to download (right of access and portability).

One structure, rendered as JSON and as a French PDF. Never a questionnaire answer: answers are linked to nobody
(`evaluation.models`); only whether the person was invited and answered, which their invitation records.
"""

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from binomes.models import Binome, Engagement
from candidatures.models import Candidature, Role
from evaluation.models import Invitation
from mentorat.models import Utilisateur
from suivi.models import JetonCalendrier, Participation, Rencontre

from .models import DemandeEffacement


def _heure(valeur: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(valeur) if valeur else None


def _personne(utilisateur: Utilisateur | None) -> dict[str, str] | None:
    if utilisateur is None:
        return None
    return {"nom": utilisateur.get_full_name(), "adresse_electronique": utilisateur.email}


def _candidature(c: Candidature) -> dict[str, Any]:
    return {
        "promotion": c.promotion.nom,
        "role": c.get_role_display(),
        "statut": c.get_statut_display(),
        "orientation_proposee": c.get_orientation_display(),
        "deposee_le": _heure(c.cree_le),
        "modifiee_le": _heure(c.modifie_le),
        "decision_le": _heure(c.decide_le),
        "telephone": c.telephone,
        "corps": c.get_corps_display(),
        "fonction": c.fonction,
        "etablissement": c.etablissement,
        "type_etablissement": c.get_type_etablissement_display(),
        "ght": c.ght,
        "departement": c.libelle_departement,
        "region": c.region,
        "date_premier_poste": c.date_premier_poste,
        "carriere_geree_par_le_cng": c.carriere_geree_cng,
        "debut_fonctions_direction": c.debut_fonctions_direction,
        "postes_direction": c.postes_direction,
        "debut_exercice_encadrement": c.debut_exercice_encadrement,
        "debut_fonctions_ds": c.debut_fonctions_ds,
        "themes": [t.nom for t in c.themes.all()],
        "objectifs": list(c.objectifs),
        "motivation": c.motivation,
        "mode_rencontre": c.get_mode_rencontre_display(),
        "liens_professionnels_a_eviter": c.enjeux_declares,
        "consentement_donnees": c.consentement_donnees,
        "charte_acceptee": c.charte_acceptee,
    }


def _binome(b: Binome, utilisateur: Utilisateur) -> dict[str, Any]:
    engagement = next(iter(b.mes_engagements), None)  # type: ignore[attr-defined]
    return {
        "promotion": b.promotion.nom,
        "role": str(Role.MENTOR.label if b.mentor.utilisateur_id == utilisateur.pk else Role.MENTORE.label),
        "autre_membre": _personne(b.autre_que(utilisateur).utilisateur),
        "ingenieur_referent": _personne(b.referent),
        "statut": b.get_statut_display(),
        # The pair's objectives: both members see them in the pair's space, so both find them here.
        "objectifs_du_binome": list(b.objectifs),
        "valide_le": _heure(b.decide_le),
        "charte_signee_le": _heure(engagement.charte_signee_le) if engagement else None,
        "absence_enjeux_confirmee_le": _heure(engagement.absence_enjeux_confirmee_le) if engagement else None,
        "arret_demande_le": _heure(b.arret_demande_le),
        "motif_arret": b.get_motif_arret_display(),
        "date_arret": b.date_arret,
        "rencontres": [
            {
                "date": r.date,
                "mode": r.get_mode_display(),
                "etat": r.get_etat_display(),
                "themes": [t.nom for t in r.themes.all()],
                "autre_theme": r.autre_theme,
            }
            for r in b.rencontres.all()
        ],
        "transmissions": [
            {"moment": t.get_moment_display(), "le": _heure(t.transmise_le)} for t in b.transmissions.all()
        ],
    }


def donnees_de(utilisateur: Utilisateur) -> dict[str, Any]:
    """Everything about `utilisateur`, in French words; a constant number of queries (11)."""
    candidatures = (
        Candidature.objects.filter(utilisateur=utilisateur)
        .select_related("promotion")
        .prefetch_related("themes")
        .order_by("cree_le")
    )
    binomes = (
        Binome.objects.de_l_utilisateur(utilisateur)
        .select_related("promotion", "referent", "mentor__utilisateur", "mentore__utilisateur")
        .prefetch_related(
            Prefetch("rencontres", queryset=Rencontre.objects.prefetch_related("themes").order_by("date")),
            "transmissions",
            Prefetch(
                "engagements", queryset=Engagement.objects.filter(utilisateur=utilisateur), to_attr="mes_engagements"
            ),
        )
        .order_by("promotion__journee_lancement")
    )
    invitations = (
        Invitation.objects.filter(utilisateur=utilisateur)
        .select_related("campagne__promotion")
        .order_by("campagne__ouverture")
    )
    return {
        "genere_le": timezone.localtime(),
        "compte": {
            "adresse_electronique": utilisateur.email,
            "prenom": utilisateur.prenom,
            "nom": utilisateur.nom,
            "adresse_confirmee": utilisateur.email_confirme,
            "inscrit_le": _heure(utilisateur.date_joined),
            "derniere_connexion": _heure(utilisateur.last_login),
            "lien_de_calendrier_personnel": JetonCalendrier.objects.filter(utilisateur=utilisateur).exists(),
        },
        "candidatures": [_candidature(c) for c in candidatures],
        "binomes": [_binome(b, utilisateur) for b in binomes],
        # Whether the person was invited and answered; the answers themselves are linked to nobody.
        "questionnaires": [
            {
                "questionnaire": i.campagne.get_type_display(),
                "promotion": i.campagne.promotion.nom,
                "a_repondu": i.a_repondu,
            }
            for i in invitations
        ],
        # The person's own answers to the collective times' invitations, and the attendance the engineers recorded
        # (right of access: the person's own data, shown to no one else but the engineers).
        "temps_collectifs": [
            {
                "temps_collectif": p.evenement.get_type_display(),
                "promotion": p.evenement.promotion.nom,
                "debut": _heure(p.evenement.debut),
                "reponse": p.get_reponse_display(),
                "repondu_le": _heure(p.repondu_le),
                "presence_constatee": p.present,
            }
            for p in Participation.objects.de_l_utilisateur(utilisateur)
        ],
        "demandes_effacement": [
            {"demandee_le": _heure(d.demandee_le), "statut": d.get_statut_display(), "motif_refus": d.motif_refus}
            for d in DemandeEffacement.objects.filter(utilisateur=utilisateur).order_by("demandee_le")
        ],
    }
