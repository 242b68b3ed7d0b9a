import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from mentorat.models import Promotion, Utilisateur
from tests.factories import PromotionFactory, UtilisateurFactory


@pytest.mark.django_db
def test_email_unique_quelle_que_soit_la_casse():
    UtilisateurFactory(email="claire.dupuis@exemple.fr")

    with pytest.raises(IntegrityError):
        UtilisateurFactory(email="Claire.Dupuis@Exemple.FR")


@pytest.mark.django_db
def test_create_user_normalise_l_email_et_hache_en_argon2():
    user = Utilisateur.objects.create_user(
        "Jean.Martin@Exemple.FR", "Un-mot-de-passe-long", prenom="Jean", nom="Martin"
    )

    assert user.email == "jean.martin@exemple.fr"
    assert user.password.startswith("argon2")
    assert Utilisateur.objects.get_by_natural_key("JEAN.MARTIN@exemple.fr") == user


@pytest.mark.django_db
def test_une_seule_promotion_courante():
    PromotionFactory(nom="2024/2025", est_courante=True)

    with pytest.raises(IntegrityError):
        PromotionFactory(nom="2025/2026", est_courante=True)


@pytest.mark.django_db
def test_courante_renvoie_la_promotion_en_cours():
    PromotionFactory(nom="2023/2024", est_courante=False)
    courante = PromotionFactory(nom="2024/2025", est_courante=True)

    assert Promotion.objects.courante() == courante


@pytest.mark.django_db
def test_fenetre_de_candidature_bornes():
    ouverture = timezone.make_aware(datetime.datetime(2024, 1, 8, 9, 0))
    cloture = timezone.make_aware(datetime.datetime(2024, 2, 9, 0, 0))
    promotion = PromotionFactory(ouverture_candidatures=ouverture, cloture_candidatures=cloture)
    seconde = datetime.timedelta(seconds=1)

    assert not promotion.candidatures_ouvertes(ouverture - seconde)
    assert promotion.candidatures_ouvertes(ouverture)
    assert promotion.candidatures_ouvertes(cloture - seconde)
    assert not promotion.candidatures_ouvertes(cloture)


@pytest.mark.django_db
def test_anciennete_comptee_au_jour_de_cloture_a_paris():
    # 23:30 UTC on 8 February is already 9 February in Paris.
    cloture = datetime.datetime(2024, 2, 8, 23, 30, tzinfo=datetime.UTC)
    promotion = PromotionFactory(
        cloture_candidatures=cloture, ouverture_candidatures=cloture - datetime.timedelta(days=30)
    )

    assert promotion.date_reference_anciennete == datetime.date(2024, 2, 9)


@pytest.mark.django_db
def test_dates_de_l_annee_dans_le_desordre_refusees():
    promotion = PromotionFactory.build(nom="2024/2025")
    promotion.journee_bilan = promotion.journee_lancement - datetime.timedelta(days=1)

    with pytest.raises(Exception, match="Les dates doivent se suivre"):
        promotion.full_clean()
