"""Anonymisation: a person's identity leaves every table and every textual copy, their rows stay.

Rows are kept, not deleted, so that the programme's figures stay true for the past promotions (applications per
status, per département, pairs per state, meetings, questionnaire invitations): the dashboard and the syntheses
count rows and coarse attributes (role, corps, département, region, statuses, orientation, themes, dates), never
names. A pair keeps its dates and themes; its members appear under an anonymous name.
"""

import json

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from binomes.models import Binome, Exclusion
from candidatures.models import Candidature
from mentorat import journal
from mentorat.models import DOMAINE_ANONYME, Utilisateur
from mentorat.rules import compte_du_comite
from suivi.models import Export, JetonCalendrier, TypeExport

from .models import DemandeEffacement


class AnonymisationRefusee(Exception):
    """A committee account is closed through the committee's account management, not anonymised here."""


def nom_anonyme(utilisateur_id: int) -> str:
    return gettext("Personne anonymisée n°%(numero)s") % {"numero": utilisateur_id}


def anonymiser_candidatures(candidatures: QuerySet[Candidature]) -> int:
    """Blank what an application says about its author (contact, post, establishment, career, free text, objectives
    and the pair's objectives drawn from them); keep what the figures count. The committee's free text about the
    same applications (exclusion reasons, pair decisions) may name them: blanked too. Returns how many
    applications."""
    Exclusion.objects.filter(Q(mentore__in=candidatures) | Q(mentor__in=candidatures)).update(motif="")
    Binome.objects.filter(Q(mentore__in=candidatures) | Q(mentor__in=candidatures)).update(motif_decision="")
    # The pair's objectives are the mentee's words, like their application's.
    Binome.objects.filter(mentore__in=candidatures).update(objectifs=[])
    return candidatures.update(
        objectifs=[],
        telephone="",
        fonction="",
        etablissement="",
        ght="",
        motivation="",
        enjeux_declares="",
        date_premier_poste=None,
        debut_fonctions_direction=None,
        postes_direction=None,
        debut_exercice_encadrement=None,
        debut_fonctions_ds=None,
    )


@transaction.atomic
def anonymiser_personne(utilisateur: Utilisateur) -> None:
    """Erase `utilisateur`'s identity: their applications (`anonymiser_candidatures`), their account (anonymous
    name and address, no password, inactive: their sessions end), their second-factor devices, calendar link and
    sign-in failures (django-axes), the exported files that may name them, and their name and address in the
    admin's history and the audit journal.
    Raises `AnonymisationRefusee` for a committee account."""
    if compte_du_comite(utilisateur):
        raise AnonymisationRefusee(gettext("Un compte du comité ne s'anonymise pas : désactivez-le."))
    email = utilisateur.email
    anciens = [v for v in (email, utilisateur.get_full_name()) if v]
    nouveau = nom_anonyme(utilisateur.pk)
    anonymiser_candidatures(utilisateur.candidatures.all())
    Utilisateur.objects.filter(pk=utilisateur.pk).update(
        email=f"anonyme-{utilisateur.pk}@{DOMAINE_ANONYME}",
        prenom="",
        nom=nouveau,
        password=make_password(None),
        is_active=False,
        email_confirme=False,
        last_login=None,
        anonymise_le=timezone.now(),
    )
    utilisateur.refresh_from_db()
    utilisateur.groups.clear()
    utilisateur.user_permissions.clear()
    TOTPDevice.objects.filter(user=utilisateur).delete()
    StaticDevice.objects.filter(user=utilisateur).delete()
    JetonCalendrier.objects.filter(utilisateur=utilisateur).delete()
    for modele in (AccessAttempt, AccessFailureLog, AccessLog):
        modele.objects.filter(username__iexact=email).delete()
    DemandeEffacement.objects.filter(utilisateur=utilisateur).update(message="")
    # Files produced before and not yet downloaded (`suivi.Export`, kept a day): the tracking tables and the
    # applications name people; asked again, they are written anonymised. A synthesis names no one: it stays.
    Export.objects.exclude(type=TypeExport.SYNTHESE_PDF).delete()
    effacer_des_historiques(utilisateur, anciens, nouveau)


def effacer_des_historiques(utilisateur: Utilisateur, anciens: list[str], nouveau: str) -> None:
    """The admin's history (LogEntry) and the audit journal keep what objects were called: `anciens` become
    `nouveau` there. The admin stores its change messages as JSON with non-ASCII characters escaped: both
    spellings are replaced."""
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Utilisateur), object_id=str(utilisateur.pk)
    ).update(object_repr=nouveau)
    for ancien in anciens:
        for ecrit in {ancien, json.dumps(ancien)[1:-1]}:
            LogEntry.objects.filter(Q(object_repr__contains=ecrit) | Q(change_message__contains=ecrit)).update(
                object_repr=Replace(F("object_repr"), Value(ecrit), Value(nouveau)),
                change_message=Replace(F("change_message"), Value(ecrit), Value(nouveau)),
            )
    journal.anonymiser(anciens=anciens, nouveau=nouveau)
