from django.urls import reverse

from evaluation.models import Campagne, Envoi


def test_action_ouvrir_envoie_les_invitations_apres_commit(admin_client, binome, mailoutbox, envoi):
    import datetime

    from django.utils import timezone

    from .factories import CampagneFactory

    campagne = CampagneFactory(promotion=binome.promotion, ouverture=timezone.now() + datetime.timedelta(days=3))

    with envoi():
        reponse = admin_client.post(
            reverse("admin:evaluation_campagne_changelist"),
            {"action": "ouvrir", "_selected_action": [campagne.pk]},
            follow=True,
        )

    assert "2 courriels mis en file d&#x27;envoi." in reponse.content.decode()
    assert Campagne.objects.get(pk=campagne.pk).est_ouverte()
    assert sorted(a for m in mailoutbox for a in m.to) == sorted(
        [binome.mentor.utilisateur.email, binome.mentore.utilisateur.email]
    )
    assert Envoi.objects.filter(envoye_le=None).count() == 0


def test_les_reponses_ne_sont_pas_dans_l_administration(admin_client):
    reponse = admin_client.get(reverse("admin:index"))

    assert "Questions" in reponse.content.decode()
    assert "/admin/evaluation/reponse/" not in reponse.content.decode()


def test_campagne_close_ne_peut_pas_etre_rouverte(admin_client, campagne):
    import datetime

    from django.utils import timezone

    from .conftest import fermer

    fermer(campagne)
    fermeture = campagne.fermeture
    url = reverse("admin:evaluation_campagne_change", args=[campagne.pk])
    plus_tard = timezone.localtime() + datetime.timedelta(days=10)

    page = admin_client.get(url).content.decode()
    admin_client.post(
        url,
        {
            "promotion": campagne.promotion_id,
            "type": campagne.type,
            "ouverture_0": plus_tard.strftime("%d/%m/%Y"),
            "ouverture_1": "09:00:00",
            "fermeture_0": plus_tard.strftime("%d/%m/%Y"),
            "fermeture_1": "18:00:00",
            "commentaire": "Modifié",
            "extraits": "[]",
        },
    )

    assert 'name="fermeture_0"' not in page
    campagne.refresh_from_db()
    assert (campagne.fermeture, campagne.commentaire) == (fermeture, "Modifié")
