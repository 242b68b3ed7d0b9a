"""An applicant may correct their application until the deadline, even after a decision: the committee then sees
it flagged « à relire », since its decision was taken on other answers (the edit is not refused)."""

from django.urls import reverse

from candidatures import services
from candidatures.models import Candidature, Statut
from mentorat.models import Action, EntreeJournal

from .conftest import donnees_mentore

URL_MENTORE = reverse("candidatures:candidater_mentore")


def _deposer_puis_decider(client, promotion, pilote, statut):
    client.post(URL_MENTORE, donnees_mentore(promotion))
    candidature = Candidature.objects.get()
    if statut != Statut.SOUMISE:
        services.changer_statut(candidature=candidature, statut=Statut.RECEVABLE, par=pilote)
    if statut == Statut.RETENUE:
        services.changer_statut(candidature=candidature, statut=Statut.RETENUE, par=pilote)
    return candidature


def test_modifier_une_candidature_retenue_la_signale_au_comite(client, promotion, pilote, admin_client):
    candidature = _deposer_puis_decider(client, promotion, pilote, Statut.RETENUE)

    reponse = client.post(
        reverse("candidatures:modifier", args=[candidature.pk]),
        donnees_mentore(promotion, etablissement="CHU de Bordeaux", departement="64"),
        follow=True,
    )

    assert "il est prévenu de vos modifications et les relira" in reponse.content.decode()
    candidature.refresh_from_db()
    assert (candidature.statut, candidature.etablissement, candidature.a_relire) == (
        Statut.RETENUE,
        "CHU de Bordeaux",
        True,
    )
    liste = admin_client.get(reverse("admin:candidatures_candidature_changelist") + "?a_relire__exact=1")
    assert "à relire : modifiée après la décision" in liste.content.decode()
    assert candidature.utilisateur.email in liste.content.decode()


def test_modifier_avant_toute_decision_ne_signale_rien(client, promotion, pilote):
    candidature = _deposer_puis_decider(client, promotion, pilote, Statut.SOUMISE)

    reponse = client.post(
        reverse("candidatures:modifier", args=[candidature.pk]), donnees_mentore(promotion), follow=True
    )

    assert "les relira" not in reponse.content.decode()
    candidature.refresh_from_db()
    assert candidature.a_relire is False


def test_marquer_relue_efface_le_signal_et_le_journalise(client, promotion, pilote, admin_client, admin_user):
    candidature = _deposer_puis_decider(client, promotion, pilote, Statut.RETENUE)
    client.post(reverse("candidatures:modifier", args=[candidature.pk]), donnees_mentore(promotion))

    admin_client.post(
        reverse("admin:candidatures_candidature_changelist"),
        {"action": "marquer_relue", "_selected_action": [candidature.pk]},
    )

    candidature.refresh_from_db()
    assert (candidature.a_relire, candidature.statut) == (False, Statut.RETENUE)
    entree = EntreeJournal.objects.get(action=Action.ADMINISTRATION, objet_id=str(candidature.pk))
    assert entree.par == admin_user
    assert "relue" in entree.details


def test_une_nouvelle_decision_efface_le_signal(client, promotion, pilote):
    candidature = _deposer_puis_decider(client, promotion, pilote, Statut.RECEVABLE)
    client.post(reverse("candidatures:modifier", args=[candidature.pk]), donnees_mentore(promotion))
    assert Candidature.objects.get(pk=candidature.pk).a_relire is True

    services.changer_statut(candidature=candidature, statut=Statut.NON_RETENUE, par=pilote)

    assert Candidature.objects.get(pk=candidature.pk).a_relire is False
