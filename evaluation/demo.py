"""Demo evaluation: for the promotion half-way through its year, a mid-course campaign answered
by most participants, closed, its synthesis published; the end campaign scheduled for later.

Answers go through `services.repondre`, like the public questionnaire. The campaign is
created open, answered, then given its real (past) closing date, as an engineer would
set it in the admin. Idempotent: a promotion that already has its campaign is left as it is;
without pairs, the mid-course campaign waits for a later run.
"""

import datetime

from django.utils import timezone

from binomes.models import Binome
from mentorat.demo import Monde

from . import services
from .models import Campagne, Question, TypeCampagne, TypeQuestion

APPRENTISSAGES = [
    "Prendre le temps de prioriser avant de décider.",
    "Oser demander conseil sans attendre d'être en difficulté.",
    "Mieux préparer les instances et les dialogues de gestion.",
    "Un regard extérieur sur ma façon de manager une équipe.",
    "Des repères pour organiser mon agenda de direction.",
    "",
]
SUGGESTIONS = [
    "Prévoir davantage de temps collectifs entre promotions.",
    "Envoyer plus tôt le calendrier des journées.",
    "Proposer des ressources sur la conduite du changement.",
    "",
]
COMMENTAIRE = (
    "À mi-parcours, les participants jugent le programme utile et la relation de mentorat de bonne qualité. "
    "La régularité des rencontres reste le principal point d'attention : nous proposerons un rappel du rythme "
    "attendu lors de l'événement de mi-parcours."
)
EXTRAITS = [
    "Un regard extérieur précieux pour prendre du recul sur mes premières décisions.",
    "Le calendrier des temps collectifs gagnerait à être connu plus tôt.",
]


def _le(jour: datetime.date, heure: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure, 0)))


def _valeurs(monde: Monde, questions: list[Question]) -> dict[Question, object]:
    valeurs: dict[Question, object] = {}
    for question in questions:
        if question.type == TypeQuestion.ECHELLE:
            valeurs[question] = monde.rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 5])[0]
        elif question.type == TypeQuestion.OUI_NON:
            valeurs[question] = monde.rng.random() < 0.85
        else:
            source = APPRENTISSAGES if question.code == "apprentissages" else SUGGESTIONS
            valeurs[question] = monde.rng.choice(source)
    return valeurs


def _mi_parcours(monde: Monde) -> None:
    promotion = monde.en_cours
    if Campagne.objects.filter(promotion=promotion, type=TypeCampagne.MI_PARCOURS).exists():
        return
    statuts = services.STATUTS_INVITES[TypeCampagne.MI_PARCOURS]
    if not Binome.objects.filter(promotion=promotion, statut__in=statuts).exists():
        return  # no pairs yet (the pairs' demo did not run): a later run creates the campaign
    evenement = promotion.evenement_mi_parcours
    campagne = Campagne.objects.create(
        promotion=promotion,
        type=TypeCampagne.MI_PARCOURS,
        ouverture=_le(evenement - datetime.timedelta(days=7)),
        fermeture=timezone.now() + datetime.timedelta(hours=1),
    )
    services.creer_invitations(campagne=campagne)
    questions = list(Question.objects.filter(active=True))
    invitations = list(campagne.invitations.order_by("pk"))
    # Most participants answer; two do not.
    for invitation in invitations[: max(len(invitations) - 2, 0)]:
        services.repondre(invitation_id=invitation.pk, valeurs=_valeurs(monde, questions))
    Campagne.objects.filter(pk=campagne.pk).update(fermeture=_le(evenement + datetime.timedelta(days=14), 18))
    campagne.refresh_from_db()
    services.rediger_synthese(campagne=campagne, commentaire=COMMENTAIRE, extraits=EXTRAITS)
    services.publier_synthese(campagne=campagne, par=monde.ingenieurs[0])


def _fin(monde: Monde) -> None:
    promotion = monde.en_cours
    Campagne.objects.get_or_create(
        promotion=promotion,
        type=TypeCampagne.FIN,
        defaults={
            "ouverture": _le(promotion.journee_bilan - datetime.timedelta(days=14)),
            "fermeture": _le(promotion.journee_bilan + datetime.timedelta(days=21), 18),
        },
    )
    Campagne.objects.get_or_create(
        promotion=promotion,
        type=TypeCampagne.FIN_DE_BINOME,
        defaults={"ouverture": _le(promotion.journee_lancement), "fermeture": _le(promotion.fin, 18)},
    )


def peupler(monde: Monde) -> None:
    _mi_parcours(monde)
    _fin(monde)
